// A 1-D convolution computed as one matrix product per kernel tap, with nn.Conv1d's parameters, keys and initialisation.
// Why not nn.Conv1d: libtorch 2.10's CPU convolutions go to oneDNN 3.7.1, whose jit:avx512_core kernels give wrong
// numbers on AMD Zen 5 (EPYC, AVX-512 with BF16). Measured against float64 on such a machine: the float32 forward pass
// was wrong in 36 of 252 shapes (e.g. 24 input channels, kernel 3; any dilation of 2 or more) and the input gradient
// in 129, by whole units, not rounding. Matrix products (MKL) are right there, and so is this module everywhere.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// y[t] = b + Σⱼ Wⱼ · x[t + j·d − left] over the k taps j of a kernel with dilation d, on zero-padded input: the same
/// function, parameters (<c>weight</c> [C_out, C_in, k], <c>bias</c> [C_out]) and default initialisation as PyTorch's
/// <c>nn.Conv1d</c> with stride 1, so checkpoints load either way.
/// </summary>
public sealed class DilatedConv1d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;   // [C_out, C_in, k]
    private readonly Parameter bias;     // [C_out]
    private readonly long left, right;

    /// <summary>Creates the convolution, initialised as <c>nn.Conv1d(inChannels, outChannels, kernelSize)</c> is (so a seeded model is the same).</summary>
    /// <param name="inChannels">C_in.</param>
    /// <param name="outChannels">C_out.</param>
    /// <param name="kernelSize">k.</param>
    /// <param name="dilation">d, the step between taps.</param>
    /// <param name="padLeft">Zeros before the first frame (d·(k − 1)/2 keeps the length centred; d·(k − 1) makes it causal).</param>
    /// <param name="padRight">Zeros after the last frame.</param>
    public DilatedConv1d(long inChannels, long outChannels, long kernelSize, long dilation = 1, long padLeft = 0, long padRight = 0) : base(nameof(DilatedConv1d))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        ArgumentOutOfRangeException.ThrowIfNegative(padLeft);
        ArgumentOutOfRangeException.ThrowIfNegative(padRight);
        using (var reference = Conv1d(inChannels, outChannels, kernelSize))   // nn.Conv1d's initialisation, draw for draw
        using (no_grad())
        {
            weight = Parameter(reference.weight!.detach().clone());
            bias = Parameter(reference.bias!.detach().clone());
        }
        (KernelSize, Dilation, left, right) = (kernelSize, dilation, padLeft, padRight);
        RegisterComponents();
    }

    /// <summary>The kernel, [C_out, C_in, k] (state-dict key <c>weight</c>).</summary>
    public Parameter Weight => weight;

    /// <summary>The bias, [C_out] (state-dict key <c>bias</c>).</summary>
    public Parameter Bias => bias;

    /// <summary>Kernel size k.</summary>
    public long KernelSize { get; }

    /// <summary>Dilation d.</summary>
    public long Dilation { get; }

    /// <summary>Convolves channel-first frames.</summary>
    /// <param name="x">[B, C_in, T].</param>
    /// <returns>[B, C_out, T + left + right − d·(k − 1)].</returns>
    public override Tensor forward(Tensor x) => Convolve(x, weight, bias, Dilation, left, right);

    /// <summary>The convolution of <paramref name="x"/> with given weights, e.g. weight-normed ones (<see cref="WeightNormConv1d"/>).</summary>
    /// <param name="x">[B, C_in, T].</param>
    /// <param name="weight">[C_out, C_in, k].</param>
    /// <param name="bias">[C_out], or null.</param>
    /// <param name="dilation">d.</param>
    /// <param name="padLeft">Zeros before the first frame.</param>
    /// <param name="padRight">Zeros after the last frame.</param>
    /// <returns>[B, C_out, T + padLeft + padRight − d·(k − 1)].</returns>
    public static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, long dilation, long padLeft, long padRight)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        long taps = weight.shape[2];
        var padded = padLeft + padRight > 0 ? functional.pad(x, [padLeft, padRight]) : x;   // zeros around the frames  [B, C_in, T']
        long length = padded.shape[2] - dilation * (taps - 1);
        Tensor? y = bias?.view(1, -1, 1);                                                    // b  [1, C_out, 1]
        for (long j = 0; j < taps; j++)
        {
            var tap = matmul(weight[.., .., j], padded.narrow(2, j * dilation, length));   // Wⱼ x[t + j·d]  [B, C_out, T_out]
            y = y is null ? tap : y + tap;
        }
        return scope.MoveToOuter(y!);
    }
}
