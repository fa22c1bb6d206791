using AffectMae.Models.Data;
using AffectMae.Models.Losses;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// The temporal model's loss (paper §3.5): w_VA·(1 − CCC) + w_EXPR·cross-entropy + w_AU·BCE-with-logits, each over the
/// valid, labelled frames of the batch, for the tasks the model predicts.
/// </summary>
public sealed class AffectObjective : IDisposable
{
    private readonly CccLoss ccc;
    private readonly MaskedCrossEntropy crossEntropy = new();
    private readonly MaskedBceWithLogits bce = new();

    /// <summary>Creates the objective.</summary>
    /// <param name="cccForm">The CCC estimate of the valence/arousal term (<see cref="CccForm.Released"/> for the authors' recipe).</param>
    /// <param name="cccReduction">How valence and arousal combine (<see cref="CccReduction.Sum"/> for the authors' recipe).</param>
    public AffectObjective(CccForm cccForm = CccForm.Population, CccReduction cccReduction = CccReduction.Mean) =>
        ccc = new CccLoss(cccForm, cccReduction);

    /// <summary>The authors' released losses: the released CCC form summed over valence and arousal; cross-entropy; BCE.</summary>
    public static AffectObjective Released() => new(CccForm.Released, CccReduction.Sum);

    /// <summary>The valence/arousal loss in use.</summary>
    public CccLoss Ccc => ccc;

    /// <summary>Weight of the valence/arousal term. <value>The default value is 1.</value></summary>
    public double ValenceArousalWeight { get; init; } = 1;

    /// <summary>Weight of the expression term. <value>The default value is 1.</value></summary>
    public double ExpressionWeight { get; init; } = 1;

    /// <summary>Weight of the action-unit term. <value>The default value is 1.</value></summary>
    public double ActionUnitWeight { get; init; } = 1;

    /// <summary>The weighted sum of the losses of the tasks present in <paramref name="predictions"/>.</summary>
    public Tensor Loss(AffectPredictions predictions, FeatureWindowBatch batch)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var terms = new List<Tensor>();
        if (predictions.ValenceArousal is { } va)
            terms.Add(ccc.call(va, batch.ValenceArousal, batch.Valid) * ValenceArousalWeight);
        if (predictions.Expression is { } expr)
            terms.Add(crossEntropy.call(expr, batch.Expression, batch.Valid) * ExpressionWeight);
        if (predictions.ActionUnits is { } au)
            terms.Add(bce.call(au, batch.ActionUnits, batch.Valid) * ActionUnitWeight);
        if (terms.Count == 0)
            throw new ArgumentException("The predictions hold no task output.", nameof(predictions));
        return scope.MoveToOuter(stack(terms).sum());
    }

    /// <summary>Runs <paramref name="model"/> on the batch and returns the loss.</summary>
    public Tensor Loss(TemporalAffectModel model, FeatureWindowBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        using var predictions = model.call(batch.X, batch.Valid);
        return Loss(predictions, batch);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ccc.Dispose();
        crossEntropy.Dispose();
        bce.Dispose();
    }
}
