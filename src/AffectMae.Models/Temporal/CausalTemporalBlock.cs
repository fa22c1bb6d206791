// The residual block of the authors' released TCN (upczww/abaw6, no licence: facts only, our own code), which keeps
// the layout of locuslab/TCN, TCN/tcn.py TemporalBlock (MIT License, Copyright (c) 2018 CMU Locus Lab): weight-normed
// dilated convolutions made causal by padding both sides and cutting the last (k − 1)·d steps ("Chomp1d"), PReLU
// (one slope) instead of ReLU.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// y = PReLU(net(x) + residual(x)) with net = conv1 → cut → PReLU → dropout → conv2 → cut → PReLU → dropout
/// (Bai et al. 2018, arXiv:1803.01271). Output t depends on inputs ≤ t only, so padding at the end of a window never
/// reaches the frames before it. State-dict keys: <c>conv1.{weight_g,weight_v,bias}</c>, <c>relu1.weight</c>,
/// <c>conv2.*</c>, <c>relu2.weight</c>, <c>relu.weight</c> and, when the channel count changes, <c>downsample.*</c>.
/// The released checkpoints also hold every conv and PReLU a second time under <c>net.{0,2,4,6}</c>; see
/// <see cref="AuthorsCheckpoint"/>.
/// </summary>
public sealed class CausalTemporalBlock : Module<Tensor, Tensor>
{
    private readonly WeightNormConv1d conv1;   // C_in → C_out, kernel k, dilation d, padded (k − 1)·d on both sides
    private readonly PReLU relu1;
    private readonly Dropout dropout1;         // parameter-free, but a field so train()/eval() reach it
    private readonly WeightNormConv1d conv2;   // C_out → C_out
    private readonly PReLU relu2;
    private readonly Dropout dropout2;
    private readonly DilatedConv1d? downsample; // 1×1 residual projection; null (no keys) when C_in == C_out
    private readonly PReLU relu;               // after the sum
    private readonly long cut;                 // (k − 1)·d: the steps that would look into the future

    /// <summary>Creates a block mapping <paramref name="inChannels"/> to <paramref name="outChannels"/> channels.</summary>
    /// <param name="inChannels">Input channels C_in.</param>
    /// <param name="outChannels">Output channels C_out.</param>
    /// <param name="kernelSize">Kernel size k (any size: causality needs no odd kernel).</param>
    /// <param name="dilation">Dilation d.</param>
    /// <param name="dropout">Dropout probability after each PReLU of <c>net</c>.</param>
    public CausalTemporalBlock(int inChannels, int outChannels, int kernelSize, int dilation, double dropout) : base(nameof(CausalTemporalBlock))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "The dropout probability must lie in [0, 1); use 0 to switch it off.");

        cut = (long)(kernelSize - 1) * dilation;
        conv1 = new WeightNormConv1d(inChannels, outChannels, kernelSize, padding: cut, dilation: dilation);
        relu1 = PReLU(1);
        dropout1 = Dropout(dropout);
        conv2 = new WeightNormConv1d(outChannels, outChannels, kernelSize, padding: cut, dilation: dilation);
        relu2 = PReLU(1);
        dropout2 = Dropout(dropout);
        downsample = inChannels != outChannels ? new DilatedConv1d(inChannels, outChannels, 1) : null;
        relu = PReLU(1);
        RegisterComponents();

        // locuslab's init_weights draws the convolutions from normal(0, 0.01). Under weight norm the kernel is
        // recomputed from g and v before every forward, so that draw only sticks for the plain downsample conv.
        if (downsample is not null)
            using (no_grad()) init.normal_(downsample.Weight, 0, 0.01);
    }

    /// <summary>Runs the block on channel-first frames.</summary>
    /// <param name="x">[B, C_in, T].</param>
    /// <returns>[B, C_out, T].</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long length = x.shape[2];
        var h = conv1.call(x).narrow(2, 0, length);                             // causal: cut the last (k − 1)·d steps  [B, C_out, T]
        h = dropout1.call(relu1.call(h));                                       // h = drop(PReLU(conv1 x))
        h = conv2.call(h).narrow(2, 0, length);                                 // [B, C_out, T]
        h = dropout2.call(relu2.call(h));                                       // h = drop(PReLU(conv2 h))
        var residual = downsample is null ? x : downsample.call(x);             // r = W_down x, or x  [B, C_out, T]
        return scope.MoveToOuter(relu.call(h + residual));                      // y = PReLU(h + r)  [B, C_out, T]
    }
}
