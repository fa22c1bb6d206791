using AffectMae.Core.Data;
using AffectMae.Models.Runtime;
using Microsoft.Extensions.Logging;
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

    /// <summary>
    /// Prepares the model for inference in <paramref name="precision"/>: evaluation mode, and the weights cast once, in
    /// place — the temporal convolutions and the transformer (its LayerNorms included: they are libtorch's own module,
    /// whose statistics accumulate in float32 all the same) to the chosen type; the task heads
    /// (<see cref="Float32Parts"/>) stay float32. Inputs stay float32 and predictions come back as float32. Call it
    /// after the weights are loaded and the model is on its device. A model with reduced-precision weights refuses
    /// <c>train()</c>: the cast rounds the weights, so train a float32 copy.
    /// </summary>
    /// <param name="precision">The precision; <see cref="InferencePrecision.Auto"/> picks bfloat16 where the device runs it fast.</param>
    /// <param name="logger">Receives the choice and its reason.</param>
    /// <returns>What was picked and why.</returns>
    /// <exception cref="ArgumentException">Float16 on a device other than CUDA.</exception>
    public PrecisionChoice UseInferencePrecision(InferencePrecision precision, ILogger? logger = null) =>
        InferenceCasting.Apply(this, parameters().First().device, precision, logger, [.. Float32Parts]);

    /// <summary>
    /// The parts that stay float32 under a reduced <see cref="InferencePrecision"/>: those that make the result (the
    /// task heads). Their forward must cast their input to their own type.
    /// </summary>
    protected internal virtual IEnumerable<Module> Float32Parts => [];

    /// <summary>Sets training mode; refused while the weights are in a reduced inference precision.</summary>
    /// <param name="train">True for training mode, false for evaluation mode.</param>
    /// <exception cref="InvalidOperationException"><paramref name="train"/> is true and <see cref="UseInferencePrecision"/> cast the weights below float32.</exception>
    public override void train(bool train = true)
    {
        InferenceCasting.ThrowIfTrainingReduced(train, InferenceCasting.ReducedTypeOf(this), GetName());
        base.train(train);
    }
}
