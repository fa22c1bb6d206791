// Weight normalisation (Salimans & Kingma 2016, arXiv:1602.07868) of a 1-D convolution, as PyTorch's
// torch.nn.utils.weight_norm(nn.Conv1d(...)) stores it (weight_g, weight_v, bias; BSD-3-Clause), which TorchSharp
// 0.107 does not have. The authors' TCN (upczww/abaw6, facts only) wraps every dilated convolution in it.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// A Conv1d whose kernel is w = g · v / ‖v‖, the norm taken per output channel over all other dimensions; g and v are
/// the trained parameters, so the length and the direction of each filter learn separately.
/// State-dict keys: <c>weight_g</c> [C_out, 1, 1], <c>weight_v</c> [C_out, C_in, k], <c>bias</c> [C_out].
/// </summary>
public sealed class WeightNormConv1d : Module<Tensor, Tensor>
{
    private readonly Parameter weight_g;   // length of each output channel's filter  [C_out, 1, 1]
    private readonly Parameter weight_v;   // direction of each filter  [C_out, C_in, k]
    private readonly Parameter bias;       // [C_out]
    private readonly long padding;
    private readonly long dilation;

    /// <summary>Creates the convolution with PyTorch's default Conv1d initialisation for v and the bias, and g = ‖v‖ (so w = v at the start).</summary>
    /// <param name="inChannels">Input channels C_in.</param>
    /// <param name="outChannels">Output channels C_out.</param>
    /// <param name="kernelSize">Kernel size k.</param>
    /// <param name="padding">Zeros added on both sides of the time axis.</param>
    /// <param name="dilation">Spacing d between kernel taps.</param>
    public WeightNormConv1d(long inChannels, long outChannels, long kernelSize, long padding = 0, long dilation = 1) : base(nameof(WeightNormConv1d))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        (InChannels, OutChannels, KernelSize, this.padding, this.dilation) = (inChannels, outChannels, kernelSize, padding, dilation);

        using var initial = Conv1d(inChannels, outChannels, kernelSize);   // PyTorch's default init: kaiming-uniform(√5), uniform bias
        weight_v = Parameter(initial.weight!.detach().clone());
        weight_g = Parameter(Norm(weight_v.detach()));
        bias = Parameter(initial.bias!.detach().clone());
        RegisterComponents();
    }

    /// <summary>Input channels C_in.</summary>
    public long InChannels { get; }

    /// <summary>Output channels C_out.</summary>
    public long OutChannels { get; }

    /// <summary>Kernel size k.</summary>
    public long KernelSize { get; }

    /// <summary>The effective kernel w = g · v / ‖v‖  [C_out, C_in, k].</summary>
    public Tensor Weight() => Normalize(weight_g, weight_v);

    /// <summary>w = g · v / ‖v‖ with ‖v‖ the L2 norm of each slice v[o] (every dimension but 0), as torch._weight_norm(v, g, 0).</summary>
    /// <param name="g">Lengths [C_out, 1, …].</param>
    /// <param name="v">Directions [C_out, …].</param>
    /// <returns>The weight, shaped like <paramref name="v"/>.</returns>
    public static Tensor Normalize(Tensor g, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(v);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(v * (g / Norm(v)));                            // w = v · g / ‖v‖  [C_out, C_in, k]
    }

    /// <summary>Convolves frames.</summary>
    /// <param name="x">[B, C_in, T].</param>
    /// <returns>[B, C_out, T + 2·padding − d·(k − 1)].</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var w = Weight();                                                       // [C_out, C_in, k]
        return scope.MoveToOuter(DilatedConv1d.Convolve(x, w, bias, dilation, padding, padding));   // y = w ∗ x + b (not conv1d: see DilatedConv1d)
    }

    // ‖v[o]‖ over every dimension but 0, kept as [C_out, 1, …] so that it broadcasts against v.
    private static Tensor Norm(Tensor v) =>
        v.square().sum(Enumerable.Range(1, (int)v.dim() - 1).Select(d => (long)d).ToArray(), keepdim: true).sqrt();
}
