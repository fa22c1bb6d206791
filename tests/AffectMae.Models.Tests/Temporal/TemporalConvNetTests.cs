using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

public sealed class TemporalConvNetTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> weights = Fixture.Load("tcn_tiny.weights");
    private readonly Dictionary<string, Tensor> io = Fixture.Load("tcn_tiny.io");

    public void Dispose()
    {
        weights.DisposeAll();
        io.DisposeAll();
    }

    #region Parity with the PyTorch reference

    [Fact]
    public void Tiny_tcn_matches_the_pytorch_reference_on_every_device()
    {
        foreach (var device in Reference.Devices())
        {
            using var tcn = Reference.LoadStrict(new TemporalConvNet(TemporalConvNetOptions.Tiny16C24), weights);
            tcn.to(device);

            using var y = tcn.call(io["x"].to(device), Reference.Valid(io["valid"]).to(device));

            y.ShouldMatchLogged(io["y"], $"tcn y on {device}", output);
        }
    }

    [Fact]
    public void State_dict_has_a_downsample_only_where_the_channel_count_changes()
    {
        using var tcn = new TemporalConvNet(TemporalConvNetOptions.Tiny16C24);   // 16 → 24 → 24

        tcn.state_dict().Keys.Should().BeEquivalentTo(
            "network.0.conv1.weight", "network.0.conv1.bias", "network.0.conv2.weight", "network.0.conv2.bias",
            "network.0.downsample.weight", "network.0.downsample.bias",
            "network.1.conv1.weight", "network.1.conv1.bias", "network.1.conv2.weight", "network.1.conv2.bias");
    }

    #endregion

    #region Padding

    [Fact]
    public void Valid_part_of_a_padded_window_equals_the_output_of_the_unpadded_window_alone()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var tcn = new TemporalConvNet(TemporalConvNetOptions.Tiny16C24);
        tcn.eval();
        var x = randn(2, 10, 16);
        var valid = arange(10).unsqueeze(0).lt(tensor(new long[] { 10, 6 }).unsqueeze(1));   // lengths 10 and 6

        var padded = tcn.call(x, valid);
        var alone = tcn.call(x[1..2, ..6], null);

        padded[1..2, ..6].ShouldMatchLogged(alone, "padded sample 1 vs alone", output);
        padded[1, 6..].abs().max().item<float>().Should().Be(0f, "padded frames come out as exactly zero");
    }

    [Fact]
    public void Changing_padded_inputs_leaves_every_output_unchanged()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var tcn = new TemporalConvNet(TemporalConvNetOptions.Tiny16C24);
        tcn.eval();
        var valid = Reference.Valid(io["valid"]);
        var noisy = io["x"].where(valid.unsqueeze(-1), randn(2, 10, 16) * 3);

        tcn.call(noisy, valid).ShouldMatchLogged(tcn.call(io["x"], valid), "noisy padding", output);
    }

    #endregion

    #region Options

    [Fact]
    public void Dilations_default_to_powers_of_two()
    {
        var options = new TemporalConvNetOptions { Channels = [8, 8, 8, 8] };

        Enumerable.Range(0, 4).Select(options.DilationOf).Should().Equal(1, 2, 4, 8);
    }

    [Fact]
    public void Default_dilations_keep_the_sequence_length_for_every_block()
    {
        using var tcn = new TemporalConvNet(new TemporalConvNetOptions { InputDim = 3, Channels = [4, 4, 4], KernelSize = 5 });
        using var x = ones(1, 7, 3);

        using var y = tcn.call(x, null);

        y.shape.Should().Equal(1, 7, 4);
    }

    [Fact]
    public void An_even_kernel_is_rejected_with_the_odd_sizes_to_use()
    {
        var build = () => new TemporalConvNet(new TemporalConvNetOptions { KernelSize = 4 });

        build.Should().Throw<ArgumentException>().WithMessage("*KernelSize is 4 but must be odd*use 5 or 3*");
    }

    [Fact]
    public void A_dilation_list_of_the_wrong_length_is_rejected()
    {
        var build = () => new TemporalConvNet(new TemporalConvNetOptions { Channels = [8, 8, 8], Dilations = [1, 2] });

        build.Should().Throw<ArgumentException>().WithMessage("*Dilations has 2 entries but Channels has 3*one dilation per block*");
    }

    [Fact]
    public void Empty_channels_and_a_dropout_of_one_are_both_reported()
    {
        var build = () => new TemporalConvNet(new TemporalConvNetOptions { Channels = [], Dropout = 1.0 });

        build.Should().Throw<ArgumentException>()
            .WithMessage("*Dropout must lie in ?0, 1)*")
            .WithMessage("*Channels is empty*one output channel count per temporal block*");
    }

    [Fact]
    public void Frames_of_the_wrong_feature_size_are_rejected_naming_the_option()
    {
        using var tcn = new TemporalConvNet(TemporalConvNetOptions.Tiny16C24);
        using var x = zeros(1, 5, 20);

        var run = () => tcn.call(x, null);

        run.Should().Throw<ArgumentException>().WithMessage("x has 20 features per frame but the module was built for 16: set TemporalConvNetOptions.InputDim to 20*");
    }

    [Fact]
    public void A_float_valid_mask_is_rejected_with_the_conversion_to_use()
    {
        using var tcn = new TemporalConvNet(TemporalConvNetOptions.Tiny16C24);

        var run = () => tcn.call(io["x"], io["valid"]);

        run.Should().Throw<ArgumentException>().WithMessage("valid has dtype Float32 but must be Bool*valid.to_type(ScalarType.Bool)*");
    }

    #endregion
}
