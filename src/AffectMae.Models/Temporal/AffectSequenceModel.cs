// Paper §3.4: the sequential model on MAE frame features — TCN, then transformer encoder, then one head per task.
using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Models.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// <see cref="TemporalConvNet"/> → <see cref="SegmentTransformer"/> → <see cref="TaskHeads"/> over a window of MAE frame
/// features. The TCN and the transformer can be switched off for the paper's ablations; without the TCN, an
/// <c>input_proj</c> linear layer maps the features to the model width when they differ.
/// State-dict keys: <c>tcn.*</c>, <c>input_proj.*</c>, <c>transformer.*</c>, <c>heads.*</c> (only the parts in use).
/// </summary>
public sealed class AffectSequenceModel : TemporalAffectModel
{
    // ---- temporal encoder ----
    private readonly TemporalConvNet? tcn;           // null when UseTcn is false
    private readonly Linear? input_proj;             // features → model width, only without TCN and when the widths differ
    private readonly SegmentTransformer? transformer; // null when UseTransformer is false

    // ---- task heads ----
    private readonly TaskHeads heads;

    private readonly AffectSequenceModelOptions options;

    /// <summary>Builds the model; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Configuration; checked by <see cref="AffectSequenceModelOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid or do not fit together; the message says what to change.</exception>
    public AffectSequenceModel(AffectSequenceModelOptions options) : base(nameof(AffectSequenceModel))
    {
        this.options = options = OptionsValidation.ValidatedCopy(new AffectSequenceModelOptionsValidator(), options, nameof(options));
        InputDim = options.InputDim;
        Tasks = options.Heads.Tasks;
        int width = options.Transformer.DModel;

        tcn = options.UseTcn ? new TemporalConvNet(options.Tcn) : null;
        input_proj = !options.UseTcn && options.InputDim != width ? Linear(options.InputDim, width) : null;
        transformer = options.UseTransformer ? new SegmentTransformer(options.Transformer) : null;
        heads = new TaskHeads(options.Heads);
        RegisterComponents();
    }

    /// <summary>The options this module was built with (a copy: changing it changes nothing).</summary>
    public AffectSequenceModelOptions Options => OptionsValidation.Copy(options);

    /// <inheritdoc />
    public override int InputDim { get; }

    /// <inheritdoc />
    public override AffectTask Tasks { get; }

    /// <inheritdoc />
    public override bool BoundsValenceArousal => true;

    /// <summary>Predicts every frame of a batch of windows.</summary>
    /// <param name="x">MAE frame features [B, T, D], float32.</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>
    /// The selected tasks' outputs, each [B, T, ·], float32; the caller disposes them. Padded frames' rows mean nothing.
    /// The TCN and transformer run in the precision set by <see cref="TemporalAffectModel.UseInferencePrecision"/>, the
    /// heads in float32.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// A shape or dtype does not fit, the window is too long for the transformer, or x holds NaN or ±∞ (the message gives
    /// the window, frame and feature).
    /// </exception>
    public override AffectPredictions forward(Tensor x, Tensor? valid)
    {
        SequenceChecks.CheckFrames(x, valid, InputDim, "AffectSequenceModelOptions.InputDim");
        SequenceChecks.CheckFinite(x);
        using var scope = NewDisposeScope();
        x = InferenceCasting.As(x, BodyType);                                   // the TCN's and transformer's type
        var h = tcn is not null ? tcn.call(x, valid)                            // h = TCN(x)  [B, T, C]
              : input_proj is not null ? input_proj.call(x)                     //   or W_in x  [B, T, C]
              : x;                                                              //   or x  [B, T, C]
        if (transformer is not null)
            h = transformer.call(h, valid);                                     // h = Transformer(h + PE)  [B, T, C]
        h = InferenceCasting.As(h, heads.ComputeType);                          // the heads' type (float32 for inference)
        return heads.call(h).AsFloat32().MoveToOuter(scope);                    // heads(h)  [B, T, 2 | 8 | 12]
    }

    /// <inheritdoc />
    protected internal override IEnumerable<Module> Float32Parts => [heads];

    /// <summary>The element type the TCN, input projection and transformer compute in: that of their weights.</summary>
    private ScalarType BodyType =>
        tcn?.ComputeType ?? input_proj?.weight!.dtype ?? transformer?.ComputeType ?? heads.ComputeType;
}
