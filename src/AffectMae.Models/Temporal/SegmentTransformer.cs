// Paper §3.4: the transformer encoder that relates the frames of one segment (window).
// Follows the PyTorch tutorial "Language Modeling with nn.Transformer" (pytorch/tutorials,
// beginner_source/transformer_tutorial.py; BSD 3-Clause License) and TorchSharpExamples'
// src/CSharp/Models/SequenceToSequence.cs (MIT License): positions added, then a post-norm nn.TransformerEncoder.
using AffectMae.Core.Options;
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

    private readonly SegmentTransformerOptions options;

    /// <summary>Builds the transformer; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Sizes; checked by <see cref="SegmentTransformerOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public SegmentTransformer(SegmentTransformerOptions options) : base(nameof(SegmentTransformer))
    {
        this.options = options = OptionsValidation.ValidatedCopy(new SegmentTransformerOptionsValidator(), options, nameof(options));
        DModel = options.DModel;
        MaxLength = options.MaxLength;

        pos_encoding = SinusoidalEncoding.Table(options.MaxLength, options.DModel);
        dropout = Dropout(options.Dropout);
        using var layer = TransformerEncoderLayer(options.DModel, options.NumHeads, options.FeedForwardDim, options.Dropout);
        encoder = TransformerEncoder(layer, options.NumLayers);   // clones the layer NumLayers times
        RegisterComponents();
    }

    /// <summary>The options this module was built with (a copy: changing it changes nothing).</summary>
    public SegmentTransformerOptions Options => OptionsValidation.Copy(options);

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
        h = MaskedEncoding.Encode(encoder, h, valid);                           // h = Encoder(h; keys = valid frames)  [T, B, D]
        return scope.MoveToOuter(h.transpose(0, 1).contiguous());               // back to batch first  [B, T, D]
    }
}
