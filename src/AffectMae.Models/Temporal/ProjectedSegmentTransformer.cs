// The transformer encoder of the authors' released model (upczww/abaw6, no licence: facts only, our own code): a 1×1
// Conv1d projection, then PyTorch's nn.TransformerEncoder with its defaults (sequence-first, post-norm, ReLU,
// LayerNorm eps 1e-5, no final norm) and no positional encoding. TorchSharp's TransformerEncoder wraps libtorch's
// C++ module, whose layers have the same computation and the same state-dict keys as PyTorch's Python ones.
using AffectMae.Core.Options;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// x → Conv1d(1×1) → post-norm transformer encoder over a window of frames, without positional encoding (the
/// TCN before it already mixes neighbouring frames). Padded frames are excluded as keys, so they never influence the
/// real frames. State-dict keys: <c>conv1.{weight,bias}</c>,
/// <c>transformer_encoder.layers.{i}.{self_attn.in_proj_weight, self_attn.in_proj_bias, self_attn.out_proj.*,
/// linear1.*, linear2.*, norm1.*, norm2.*}</c>. Compare <see cref="SegmentTransformer"/>, our default.
/// </summary>
public sealed class ProjectedSegmentTransformer : Module<Tensor, Tensor?, Tensor>
{
    private readonly DilatedConv1d conv1;                      // 1×1 projection  C_in → D
    private readonly TransformerEncoder transformer_encoder;   // sequence-first  [T, B, D]
    private readonly ProjectedSegmentTransformerOptions options;

    /// <summary>Builds the encoder; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Sizes, copied; checked by <see cref="ProjectedSegmentTransformerOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public ProjectedSegmentTransformer(ProjectedSegmentTransformerOptions options) : base(nameof(ProjectedSegmentTransformer))
    {
        OptionsValidation.ThrowIfInvalid(new ProjectedSegmentTransformerOptionsValidator(), options, nameof(options));
        this.options = OptionsValidation.Copy(options);

        conv1 = new DilatedConv1d(options.InputDim, options.DModel, 1);
        using var layer = TransformerEncoderLayer(options.DModel, options.NumHeads, options.FeedForwardDim, options.Dropout);
        transformer_encoder = TransformerEncoder(layer, options.NumLayers);   // clones the layer NumLayers times
        RegisterComponents();
    }

    /// <summary>A copy of the sizes this encoder was built with.</summary>
    public ProjectedSegmentTransformerOptions Options => OptionsValidation.Copy(options);

    /// <summary>Width of the frames entering the projection.</summary>
    public int InputDim => options.InputDim;

    /// <summary>Model width D.</summary>
    public int DModel => options.DModel;

    /// <summary>Encodes a window of frames.</summary>
    /// <param name="x">Frames [B, T, C_in].</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>[B, T, D]. Rows of padded frames hold values that mean nothing.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public override Tensor forward(Tensor x, Tensor? valid)
    {
        SequenceChecks.CheckFrames(x, valid, InputDim, "ProjectedSegmentTransformerOptions.InputDim");
        using var scope = NewDisposeScope();
        var h = conv1.call(x.transpose(1, 2));                                  // h = W x + b, per frame  [B, D, T]
        h = h.permute(2, 0, 1);                                                 // sequence first  [T, B, D]
        h = MaskedEncoding.Encode(transformer_encoder, h, valid);               // h = Encoder(h; keys = real frames)  [T, B, D]
        return scope.MoveToOuter(h.transpose(0, 1));                            // back to batch first  [B, T, D]
    }
}
