// The temporal model of the paper's authors as released (GitHub upczww/abaw6, VA|EXPR|AU/model/model.py; no licence:
// facts only, our own code): causal weight-normed PReLU TCN → 1×1 projection + post-norm transformer without
// positional encoding → Linear-BatchNorm-Linear head, one model per task. Its state-dict keys are the released ones,
// so their checkpoints load (AuthorsCheckpoint).
using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Models.Runtime;
using static TorchSharp.torch;

namespace AffectMae.Models.Temporal;

/// <summary>
/// The authors' released model for one task: <see cref="CausalTemporalConvNet"/> → <see cref="ProjectedSegmentTransformer"/>
/// → <see cref="BatchNormHead"/>. Valence and arousal come out unbounded (no tanh); prediction clips them to [−1, 1].
/// State-dict keys: <c>temporal.network.{i}.*</c>, <c>encoder.conv1.*</c>, <c>encoder.transformer_encoder.layers.{i}.*</c>,
/// <c>head.{0,1,2}.*</c>. Our own <see cref="AffectSequenceModel"/> stays the default.
/// </summary>
public sealed class AuthorsTemporalModel : TemporalAffectModel
{
    private readonly CausalTemporalConvNet temporal;
    private readonly ProjectedSegmentTransformer encoder;
    private readonly BatchNormHead head;
    private readonly AuthorsTemporalModelOptions options;

    /// <summary>Builds the model; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Configuration, copied; checked by <see cref="AuthorsTemporalModelOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid or do not fit together; the message says what to change.</exception>
    public AuthorsTemporalModel(AuthorsTemporalModelOptions options) : base(nameof(AuthorsTemporalModel))
    {
        OptionsValidation.ThrowIfInvalid(new AuthorsTemporalModelOptionsValidator(), options, nameof(options));
        this.options = OptionsValidation.Copy(options);
        temporal = new CausalTemporalConvNet(options.Tcn);
        encoder = new ProjectedSegmentTransformer(options.Transformer);
        head = new BatchNormHead(options.Head);
        RegisterComponents();
    }

    /// <summary>A copy of the configuration this model was built with.</summary>
    public AuthorsTemporalModelOptions Options => OptionsValidation.Copy(options);

    /// <inheritdoc />
    public override int InputDim => options.Tcn.InputDim;

    /// <inheritdoc />
    public override AffectTask Tasks => options.Task;

    /// <inheritdoc />
    public override bool BoundsValenceArousal => false;

    /// <inheritdoc />
    protected internal override IEnumerable<nn.Module> Float32Parts => [head];

    /// <summary>Predicts every frame of a batch of windows for the model's task.</summary>
    /// <param name="x">Frame features [B, T, D].</param>
    /// <param name="valid">Bool [B, T], true for a real frame, padding only at the end of a window; <see langword="null"/>
    /// when every frame is real.</param>
    /// <returns>
    /// The task's output [B, T, 2 | 8 | 12], float32 (the other tasks null); the caller disposes it. Padded frames' rows
    /// mean nothing. The TCN and transformer run in the precision set by <see cref="TemporalAffectModel.UseInferencePrecision"/>,
    /// the head in float32.
    /// </returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public override AffectPredictions forward(Tensor x, Tensor? valid)
    {
        SequenceChecks.CheckFrames(x, valid, InputDim, "AuthorsTemporalModelOptions.Tcn.InputDim");
        using var scope = NewDisposeScope();
        x = InferenceCasting.As(x, InferenceCasting.WeightTypeOf(temporal));    // the TCN's and transformer's type
        var h = temporal.call(x);                                               // h = TCN(x), causal  [B, T, 128]
        h = encoder.call(h, valid);                                             // h = Encoder(W h)  [B, T, 512]
        h = InferenceCasting.As(h, InferenceCasting.WeightTypeOf(head));        // the head's type (float32 for inference)
        var y = head.call(h, valid);                                            // y = W₂ BN(W₁ h)  [B, T, 2 | 8 | 12]
        y = scope.MoveToOuter(InferenceCasting.AsFloat32(y));
        return options.Task switch
        {
            AffectTask.ValenceArousal => new AffectPredictions(y, null, null),
            AffectTask.Expression => new AffectPredictions(null, y, null),
            _ => new AffectPredictions(null, null, y),
        };
    }
}
