// Paper §3.4: one residual block of the temporal convolutional network.
// Follows locuslab/TCN, TCN/tcn.py (TemporalBlock; MIT License, Copyright (c) 2018 CMU Locus Lab), made non-causal
// (symmetric padding instead of chomping) and masked so that padded frames never reach valid ones. No weight norm.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// A residual block of two dilated same-length convolutions (Bai et al. 2018, arXiv:1803.01271), masked by the valid frames.
/// State-dict keys: <c>conv1.*</c>, <c>conv2.*</c> and, only when the channel count changes, <c>downsample.*</c>.
/// </summary>
public sealed class TemporalBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly DilatedConv1d conv1;        // C_in → C_out, kernel k, dilation d
    private readonly Dropout dropout1;           // parameter-free, but a field so train()/eval() reach it
    private readonly DilatedConv1d conv2;        // C_out → C_out, kernel k, dilation d
    private readonly Dropout dropout2;
    private readonly DilatedConv1d? downsample;  // 1×1 residual projection; null (no keys) when C_in == C_out

    /// <summary>Creates a block mapping <paramref name="inChannels"/> to <paramref name="outChannels"/> channels.</summary>
    /// <param name="inChannels">Input channel count C_in.</param>
    /// <param name="outChannels">Output channel count C_out.</param>
    /// <param name="kernelSize">Odd kernel size k.</param>
    /// <param name="dilation">Dilation d; padding d·(k − 1)/2 keeps the length T.</param>
    /// <param name="dropout">Dropout probability after each convolution's ReLU.</param>
    public TemporalBlock(int inChannels, int outChannels, int kernelSize, int dilation, double dropout) : base(nameof(TemporalBlock))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        if (kernelSize <= 0 || kernelSize % 2 == 0)
            throw new ArgumentException($"kernelSize is {kernelSize} but must be odd and positive so that padding d·(k − 1)/2 keeps the length; use 3.", nameof(kernelSize));

        long padding = (long)dilation * (kernelSize - 1) / 2;
        conv1 = new DilatedConv1d(inChannels, outChannels, kernelSize, dilation, padding, padding);
        dropout1 = Dropout(dropout);
        conv2 = new DilatedConv1d(outChannels, outChannels, kernelSize, dilation, padding, padding);
        dropout2 = Dropout(dropout);
        downsample = inChannels != outChannels ? new DilatedConv1d(inChannels, outChannels, 1) : null;
        RegisterComponents();
    }

    /// <summary>The element type of the weights.</summary>
    internal ScalarType ComputeType => conv1.Weight.dtype;

    /// <summary>Runs the block on channel-first frames.</summary>
    /// <param name="x">Frames [B, C_in, T].</param>
    /// <param name="keep">Valid-frame mask [B, 1, T] in x's dtype: 1 for a real frame, 0 for padding.</param>
    /// <returns>[B, C_out, T], zero on padded frames.</returns>
    public override Tensor forward(Tensor x, Tensor keep)
    {
        using var scope = NewDisposeScope();
        x = x * keep;                                                           // padding reads as zeros  [B, C_in, T]
        var h = dropout1.call(functional.relu(conv1.call(x))) * keep;           // h = drop(ReLU(conv1 x)) ⊙ keep  [B, C_out, T]
        h = dropout2.call(functional.relu(conv2.call(h)));                      // h = drop(ReLU(conv2 h))  [B, C_out, T]
        var residual = downsample is null ? x : downsample.call(x);             // r = W_down x, or x  [B, C_out, T]
        return scope.MoveToOuter(functional.relu(h + residual) * keep);         // y = ReLU(h + r) ⊙ keep  [B, C_out, T]
    }
}
