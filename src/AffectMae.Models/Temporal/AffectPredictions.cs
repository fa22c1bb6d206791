using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Per-frame outputs of <see cref="TaskHeads"/>; a property is <see langword="null"/> when its task was not selected.
/// Disposing the predictions disposes the tensors.
/// </summary>
/// <param name="ValenceArousal">Valence (index 0) and arousal (index 1), [B, T, 2]: in [−1, 1] from
/// <see cref="AffectSequenceModel"/> (tanh), unbounded from <see cref="AuthorsTemporalModel"/> (clipped at prediction).</param>
/// <param name="Expression">Expression logits, [B, T, 8].</param>
/// <param name="ActionUnits">Action-unit logits, [B, T, 12].</param>
public sealed record AffectPredictions(Tensor? ValenceArousal, Tensor? Expression, Tensor? ActionUnits) : IDisposable
{
    /// <summary>The tensors that are present, in the order valence/arousal, expression, action units.</summary>
    public IEnumerable<Tensor> Tensors => new[] { ValenceArousal, Expression, ActionUnits }.OfType<Tensor>();

    /// <summary>Disposes every present tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors)
            tensor.Dispose();
    }

    /// <summary>The same predictions as float32: this record when they already are, else float32 copies (in the current scope).</summary>
    internal AffectPredictions AsFloat32() => Tensors.All(t => t.dtype == ScalarType.Float32)
        ? this
        : new AffectPredictions(ValenceArousal?.to_type(ScalarType.Float32), Expression?.to_type(ScalarType.Float32), ActionUnits?.to_type(ScalarType.Float32));

    /// <summary>Moves the present tensors out of <paramref name="scope"/> to its outer scope.</summary>
    internal AffectPredictions MoveToOuter(DisposeScope scope)
    {
        scope.MoveToOuter(Tensors);
        return this;
    }
}
