using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

public sealed class SegmentTransformerTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> weights = Fixture.Load("segment_transformer_tiny.weights");
    private readonly Dictionary<string, Tensor> io = Fixture.Load("segment_transformer_tiny.io");

    public void Dispose()
    {
        weights.DisposeAll();
        io.DisposeAll();
    }

    #region Parity with the PyTorch reference

    [Fact]
    public void Tiny_transformer_matches_the_pytorch_reference_on_every_frame_and_device()
    {
        foreach (var device in Reference.Devices())
        {
            using var transformer = Reference.LoadStrict(new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2), weights);
            transformer.to(device);

            using var y = transformer.call(io["x"].to(device), Reference.Valid(io["valid"]).to(device));

            y.ShouldMatchLogged(io["y"], $"transformer y (padded rows too) on {device}", output);
        }
    }

    [Fact]
    public void Computed_positional_table_equals_the_pytorch_tutorial_table()
    {
        using var transformer = new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2);

        transformer.state_dict()["pos_encoding"].ShouldMatchLogged(weights["pos_encoding"], "pos_encoding", output);
    }

    #endregion

    #region Positional table

    [Fact]
    public void Row_one_of_the_table_holds_sin_and_cos_of_one_then_of_the_next_frequency()
    {
        // ω_0 = exp(0) = 1 → pe[1, 0] = sin 1, pe[1, 1] = cos 1.
        // ω_1 = exp(2·(−ln 10000 / 24)) = 10000^(−1/12) ≈ 0.4642 → pe[1, 2] = sin ω_1, pe[1, 3] = cos ω_1.
        using var table = SinusoidalEncoding.Table(32, 24);
        double omega1 = Math.Pow(10000, -1.0 / 12);

        var row1 = table[1].data<float>().ToArray();

        row1[0].Should().BeApproximately((float)Math.Sin(1), 1e-6f);
        row1[1].Should().BeApproximately((float)Math.Cos(1), 1e-6f);
        row1[2].Should().BeApproximately((float)Math.Sin(omega1), 1e-6f);
        row1[3].Should().BeApproximately((float)Math.Cos(omega1), 1e-6f);
    }

    [Fact]
    public void Row_zero_of_the_table_alternates_zero_and_one()
    {
        using var table = SinusoidalEncoding.Table(4, 6);   // sin 0 = 0, cos 0 = 1

        table[0].data<float>().ToArray().Should().Equal(0f, 1f, 0f, 1f, 0f, 1f);
    }

    [Fact]
    public void An_odd_table_width_is_rejected()
    {
        var build = () => SinusoidalEncoding.Table(4, 5);

        build.Should().Throw<ArgumentException>().WithMessage("*needs an even size*dim is 5*");
    }

    #endregion

    #region Padding

    [Fact]
    public void Changing_padded_inputs_leaves_valid_outputs_unchanged()
    {
        using var scope = NewDisposeScope();
        using var transformer = Reference.LoadStrict(new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2), weights);
        var valid = Reference.Valid(io["valid"]);
        manual_seed(21);
        var noisy = io["x"].where(valid.unsqueeze(-1), randn(2, 10, 24) * 3);

        var clean = transformer.call(io["x"], valid);
        var changed = transformer.call(noisy, valid);

        changed[1, ..6].ShouldMatchLogged(clean[1, ..6], "valid frames under noisy padding", output);
        changed[0].ShouldMatchLogged(clean[0], "unpadded sample", output);
    }

    [Fact]
    public void Valid_part_of_a_padded_window_equals_the_output_of_the_unpadded_window_alone()
    {
        using var scope = NewDisposeScope();
        using var transformer = Reference.LoadStrict(new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2), weights);

        var padded = transformer.call(io["x"], Reference.Valid(io["valid"]));
        var alone = transformer.call(io["x"][1..2, ..6], null);

        padded[1..2, ..6].ShouldMatchLogged(alone, "padded sample 1 vs alone", output);
    }

    [Fact]
    public void A_window_without_valid_frames_gives_finite_outputs_and_leaves_the_others_alone()
    {
        using var scope = NewDisposeScope();
        using var transformer = Reference.LoadStrict(new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2), weights);
        var valid = Reference.Valid(io["valid"]).clone();
        valid[1] = zeros(10, dtype: ScalarType.Bool);

        var y = transformer.call(io["x"], valid);

        y.isfinite().all().item<bool>().Should().BeTrue("softmax over no keys would give NaN");
        y[0].ShouldMatchLogged(io["y"][0], "the full sample", output);
    }

    #endregion

    #region Bad input

    [Fact]
    public void A_window_longer_than_MaxLength_is_rejected_with_both_remedies()
    {
        using var transformer = new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2);   // MaxLength 32
        using var x = zeros(1, 33, 24);

        var run = () => transformer.call(x, null);

        run.Should().Throw<ArgumentException>()
            .WithMessage("The window has 33 frames but SegmentTransformerOptions.MaxLength is 32: raise MaxLength to at least 33, or cut videos into windows of at most 32 frames*");
    }

    [Fact]
    public void Heads_that_do_not_divide_the_width_are_rejected()
    {
        var build = () => new SegmentTransformer(new SegmentTransformerOptions { DModel = 24, NumHeads = 5 });

        build.Should().Throw<ArgumentException>().WithMessage("*NumHeads (5) must divide DModel (24)*");
    }

    [Fact]
    public void Tokens_of_the_wrong_width_are_rejected_naming_the_option()
    {
        using var transformer = new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2);
        using var x = zeros(2, 10, 16);

        var run = () => transformer.call(x, null);

        run.Should().Throw<ArgumentException>().WithMessage("x has 16 features per frame but the module was built for 24: set SegmentTransformerOptions.DModel to 16*");
    }

    [Fact]
    public void A_mask_of_the_wrong_shape_is_rejected_with_the_expected_shape()
    {
        using var transformer = new SegmentTransformer(SegmentTransformerOptions.Tiny24H4L2);
        using var valid = ones(2, 9, dtype: ScalarType.Bool);

        var run = () => transformer.call(io["x"], valid);

        run.Should().Throw<ArgumentException>().WithMessage("valid has shape [2, 9] but x has 2 windows of 10 frames: valid must be [2, 10].*");
    }

    #endregion
}
