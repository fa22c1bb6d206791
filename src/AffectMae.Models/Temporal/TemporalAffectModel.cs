using AffectMae.Core.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// A temporal model over windows of per-frame features that predicts affect for every frame: ours
/// (<see cref="AffectSequenceModel"/>) or the authors' released one (<see cref="AuthorsTemporalModel"/>). Training,
/// evaluation and prediction take this type, so either model fits everywhere.
/// </summary>
/// <remarks>
/// <c>call(x, valid)</c> takes features [B, T, D] and an optional bool mask [B, T] (true = real frame; padding only at
/// the end of a window) and returns <see cref="AffectPredictions"/> for the tasks in <see cref="Tasks"/>.
/// </remarks>
public abstract class TemporalAffectModel : Module<Tensor, Tensor?, AffectPredictions>
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">The module's name.</param>
    protected TemporalAffectModel(string name) : base(name)
    {
    }

    /// <summary>Feature size D of one input frame.</summary>
    public abstract int InputDim { get; }

    /// <summary>The tasks the model predicts; the other properties of its <see cref="AffectPredictions"/> are null.</summary>
    public abstract AffectTask Tasks { get; }

    /// <summary>
    /// Whether valence and arousal come out bounded to [−1, 1] (tanh); when false they are unbounded and prediction
    /// clips them (the authors' model).
    /// </summary>
    public abstract bool BoundsValenceArousal { get; }
}
