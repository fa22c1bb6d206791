// Paper §3.4: the transformer encoder that relates the frames of one segment (window).
// Follows the PyTorch tutorial "Language Modeling with nn.Transformer" (pytorch/tutorials,
// beginner_source/transformer_tutorial.py; BSD 3-Clause License) and TorchSharpExamples'
// src/CSharp/Models/SequenceToSequence.cs (MIT License): positions added, then a post-norm nn.TransformerEncoder.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Sinusoidal positions plus a stack of post-norm transformer encoder layers (ReLU, LayerNorm eps 1e-5, no final norm)
/// over a window of frames. Padded frames are excluded as keys, so they never influence valid frames.
/// State-dict keys: <c>pos_encoding</c> (buffer [MaxLength, DModel]) and <c>encoder.layers.{i}.*</c> as in PyTorch.
/// </summary>
public sealed class SegmentTransformer : Module<Tensor, Tensor?, Tensor>
{
    private readonly Tensor pos_encoding;          // buffer: fixed sin-cos table  [MaxLength, D]
    private readonly Dropout dropout;              // parameter-free, but a field so train()/eval() reach it
    private readonly TransformerEncoder encoder;   // sequence-first  [T, B, D]

    /// <summary>Builds the transformer; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Sizes; checked by <see cref="SegmentTransformerOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public SegmentTransformer(SegmentTransformerOptions options) : base(nameof(SegmentTransformer))
    {
        OptionsGuard.ThrowIfInvalid(new SegmentTransformerOptionsValidator(), options, nameof(options));
        DModel = options.DModel;
        MaxLength = options.MaxLength;

        pos_encoding = SinusoidalEncoding.Table(options.MaxLength, options.DModel);
        dropout = Dropout(options.Dropout);
        using var layer = TransformerEncoderLayer(options.DModel, options.NumHeads, options.FeedForwardDim, options.Dropout);
        encoder = TransformerEncoder(layer, options.NumLayers);   // clones the layer NumLayers times
        RegisterComponents();
    }

    /// <summary>Model width D.</summary>
    public int DModel { get; }

    /// <summary>Longest window, in frames, the positional table covers.</summary>
    public int MaxLength { get; }

    /// <summary>The element type of the weights (the positional table is cast with them).</summary>
    internal ScalarType ComputeType => pos_encoding.dtype;

    /// <summary>Encodes a window of frames.</summary>
    /// <param name="x">Frame tokens [B, T, D] with T ≤ MaxLength.</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>[B, T, D]. Rows of padded frames hold values that mean nothing.</returns>
    /// <exception cref="ArgumentException">The window is longer than MaxLength, or a shape or dtype does not fit.</exception>
    public override Tensor forward(Tensor x, Tensor? valid)
    {
        SequenceChecks.CheckFrames(x, valid, DModel, "SegmentTransformerOptions.DModel");
        long frames = x.shape[1];
        if (frames > MaxLength)
            throw new ArgumentException($"The window has {frames} frames but SegmentTransformerOptions.MaxLength is {MaxLength}: raise MaxLength to at least {frames}, or cut videos into windows of at most {MaxLength} frames (SegmentationOptions.WindowLength).", nameof(x));

        using var scope = NewDisposeScope();
        var h = x + pos_encoding.narrow(0, 0, frames);                          // h = x + PE[:T]  [B, T, D]
        h = dropout.call(h).transpose(0, 1);                                    // sequence first  [T, B, D]
        var padding = valid is null ? null : KeyPaddingMask(valid);             // true = ignore as key  [B, T]
        h = padding is null || h.dtype == ScalarType.Float32
            ? encoder.call(h, null, padding)                                    // h = Encoder(h; keys = valid frames)  [T, B, D]
            : EncodeWithoutKeyMask(h, valid!);                                  //   the same in bfloat16/float16
        return scope.MoveToOuter(h.transpose(0, 1).contiguous());               // back to batch first  [B, T, D]
    }

    /// <summary>
    /// ~valid, except that a window with no valid frame at all masks nothing (otherwise softmax over no keys gives NaN;
    /// such a window's outputs are all padding anyway).
    /// </summary>
    private static Tensor KeyPaddingMask(Tensor valid) =>
        valid.logical_not().logical_and(valid.any(1, keepdim: true));           // [B, T]

    /// <summary>
    /// The encoder without a key padding mask, for bfloat16 and float16 weights: libtorch's C++ MultiheadAttention
    /// (libtorch 2.10) implements its key_padding_mask for float32 and float64 only ("attn_output_weights.masked_fill not
    /// implemented for 'BFloat16'") and takes only a [T, T] attention mask, shared by every window. Windows whose frames
    /// are all valid (or none, which the key padding mask leaves unmasked too) run together unmasked; each other window
    /// runs alone on its valid frames. Valid frames attend to valid frames only either way (positions were added
    /// before), so their outputs are the masked encoder's; padded rows come out as zeros.
    /// </summary>
    /// <param name="h">Sequence-first tokens [T, B, D].</param>
    /// <param name="valid">Bool [B, T].</param>
    /// <returns>[T, B, D].</returns>
    private Tensor EncodeWithoutKeyMask(Tensor h, Tensor valid)
    {
        using var scope = NewDisposeScope();
        long frames = valid.shape[1];
        var counts = valid.sum(1).cpu().data<long>().ToArray();                // valid frames of each window
        var output = zeros_like(h);                                             // [T, B, D]
        var unmasked = new List<long>();
        for (int b = 0; b < counts.Length; b++)
        {
            if (counts[b] == frames || counts[b] == 0)
            {
                unmasked.Add(b);
                continue;
            }
            var index = valid[b].nonzero().squeeze(1);                          // window b's valid frames  [n]
            var encoded = encoder.call(h.narrow(1, b, 1).index_select(0, index), null, null);   // [n, 1, D]
            output.select(1, b).index_copy_(0, index, encoded.squeeze(1));
        }
        if (unmasked.Count > 0)
        {
            var windows = tensor(unmasked.ToArray(), device: h.device);         // [B']
            output.index_copy_(1, windows, encoder.call(h.index_select(1, windows), null, null));
        }
        return scope.MoveToOuter(output);
    }
}
