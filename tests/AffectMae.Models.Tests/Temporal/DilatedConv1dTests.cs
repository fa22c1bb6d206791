using AffectMae.Models.Temporal;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

[Collection(GlobalRngCollection.Name)]
public sealed class DilatedConv1dTests
{
    // The shapes that oneDNN 3.7.1 (libtorch 2.10) gets wrong in float32 on AMD Zen 5: 24 channels, a batch of 2, any
    // dilation; the reference is PyTorch's own convolution in float64, which that machine computes right.
    [Theory]
    [InlineData(24, 24, 3, 1, 1, 1)]
    [InlineData(24, 24, 3, 2, 2, 2)]
    [InlineData(16, 24, 5, 4, 16, 0)]     // causal: all padding on the left
    [InlineData(24, 8, 1, 1, 0, 0)]       // 1×1
    public void Forward_and_both_gradients_equal_float64_conv1d(int inChannels, int outChannels, int kernel, int dilation, int padLeft, int padRight)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var conv = new DilatedConv1d(inChannels, outChannels, kernel, dilation, padLeft, padRight);
        var x = randn(2, inChannels, 30, requires_grad: true);
        var y = conv.call(x);
        var gradient = randn_like(y);
        y.backward([gradient]);

        var x64 = x.detach().to(float64).requires_grad_(true);
        var w64 = conv.Weight.detach().to(float64).requires_grad_(true);
        var padded = nn.functional.pad(x64, [padLeft, padRight]);
        var y64 = nn.functional.conv1d(padded, w64, conv.Bias.detach().to(float64), dilation: dilation);
        y64.backward([gradient.to(float64)]);

        y.shape.Should().Equal(2, outChannels, 30 + padLeft + padRight - dilation * (kernel - 1));
        MaxDifference(y, y64).Should().BeLessThan(1e-4);
        MaxDifference(x.grad!, x64.grad!).Should().BeLessThan(1e-4);
        MaxDifference(conv.Weight.grad!, w64.grad!).Should().BeLessThan(1e-3);
    }

    [Fact]
    public void Parameters_keys_and_seeded_initialisation_are_those_of_nn_Conv1d()
    {
        manual_seed(5);
        using var reference = nn.Conv1d(6, 4, 3);
        manual_seed(5);
        using var conv = new DilatedConv1d(6, 4, 3, dilation: 2, padLeft: 2, padRight: 2);

        conv.state_dict().Keys.Should().Equal("weight", "bias");
        conv.Weight.shape.Should().Equal(4, 6, 3);
        conv.Weight.data<float>().ToArray().Should().Equal(reference.weight!.data<float>().ToArray());
        conv.Bias.data<float>().ToArray().Should().Equal(reference.bias!.data<float>().ToArray());
    }

    private static double MaxDifference(Tensor single, Tensor exact) => (single.to(float64) - exact).abs().max().item<double>();
}
