using AffectMae.Core.Data;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

public sealed class AffectSequenceModelTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> weights = Fixture.Load("sequence_model_tiny.weights");
    private readonly Dictionary<string, Tensor> io = Fixture.Load("sequence_model_tiny.io");

    public void Dispose()
    {
        weights.DisposeAll();
        io.DisposeAll();
    }

    #region Parity with the PyTorch reference

    [Fact]
    public void Tiny_model_matches_the_pytorch_reference_for_all_tasks_on_every_device()
    {
        foreach (var device in Reference.Devices())
        {
            using var model = Reference.LoadStrict(new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24), weights);
            model.to(device);

            using var predictions = model.call(io["x"].to(device), Reference.Valid(io["valid"]).to(device));

            predictions.ValenceArousal!.ShouldMatchLogged(io["va"], $"model va on {device}", output);
            predictions.Expression!.ShouldMatchLogged(io["expr"], $"model expr on {device}", output);
            predictions.ActionUnits!.ShouldMatchLogged(io["au"], $"model au on {device}", output);
        }
    }

    [Fact]
    public void Changing_padded_inputs_leaves_valid_predictions_unchanged()
    {
        using var scope = NewDisposeScope();
        using var model = Reference.LoadStrict(new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24), weights);
        var valid = Reference.Valid(io["valid"]);
        manual_seed(41);
        var noisy = io["x"].where(valid.unsqueeze(-1), randn(2, 10, 16) * 3);

        using var changed = model.call(noisy, valid);

        changed.ValenceArousal![valid].ShouldMatchLogged(io["va"][valid], "va under noisy padding", output);
        changed.ActionUnits![valid].ShouldMatchLogged(io["au"][valid], "au under noisy padding", output);
    }

    #endregion

    #region Ablations

    [Fact]
    public void Without_the_tcn_an_input_projection_maps_features_to_the_model_width()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;   // features 16, width 24
        options.UseTcn = false;
        using var model = new AffectSequenceModel(options);

        using var predictions = model.call(io["x"], Reference.Valid(io["valid"]));

        var keys = model.state_dict().Keys.ToList();
        keys.Should().Contain(["input_proj.weight", "input_proj.bias"]).And.NotContain(k => k.StartsWith("tcn.", StringComparison.Ordinal));
        model.state_dict()["input_proj.weight"].shape.Should().Equal(24, 16);
        predictions.Expression!.shape.Should().Equal(2, 10, 8);
    }

    [Fact]
    public void Without_the_tcn_and_with_matching_widths_there_is_no_input_projection()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.UseTcn = false;
        options.InputDim = 24;
        using var model = new AffectSequenceModel(options);

        model.state_dict().Keys.Should().NotContain(k => k.StartsWith("input_proj.", StringComparison.Ordinal) || k.StartsWith("tcn.", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_transformer_the_tcn_feeds_the_heads_directly()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.UseTransformer = false;
        using var model = new AffectSequenceModel(options);

        using var predictions = model.call(io["x"], Reference.Valid(io["valid"]));

        model.state_dict().Keys.Should().NotContain(k => k.StartsWith("transformer.", StringComparison.Ordinal));
        predictions.ActionUnits!.shape.Should().Equal(2, 10, 12);
    }

    [Fact]
    public void State_dict_has_exactly_the_keys_of_the_pytorch_model()
    {
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);

        model.state_dict().Keys.Should().BeEquivalentTo(weights.Keys);
    }

    #endregion

    #region Bad options and input

    [Fact]
    public void A_tcn_whose_last_channel_count_differs_from_the_model_width_is_rejected()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.Tcn.Channels = [24, 32];

        var build = () => new AffectSequenceModel(options);

        build.Should().Throw<ArgumentException>()
            .WithMessage("The TCN's last block outputs 32 channels but the model width Transformer.DModel is 24: set the last entry of Tcn.Channels to 24, or Transformer.DModel to 32.*");
    }

    [Fact]
    public void A_tcn_input_size_that_differs_from_the_model_input_size_is_rejected()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.InputDim = 768;

        var build = () => new AffectSequenceModel(options);

        build.Should().Throw<ArgumentException>().WithMessage("Tcn.InputDim is 16 but AffectSequenceModelOptions.InputDim is 768: set Tcn.InputDim to 768.*");
    }

    [Fact]
    public void Heads_that_read_another_width_are_rejected()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.Heads.InputDim = 32;

        var build = () => new AffectSequenceModel(options);

        build.Should().Throw<ArgumentException>().WithMessage("*Heads.InputDim is 32 but the model width Transformer.DModel is 24: set Heads.InputDim to 24.*");
    }

    [Fact]
    public void Features_of_the_wrong_size_are_rejected_naming_the_option()
    {
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        using var x = zeros(2, 10, 768);

        var run = () => model.call(x, null);

        run.Should().Throw<ArgumentException>().WithMessage("x has 768 features per frame but the module was built for 16: set AffectSequenceModelOptions.InputDim to 768*");
    }

    [Fact]
    public void Non_finite_features_are_rejected_naming_the_window_frame_and_feature()
    {
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        using var x = zeros(2, 10, 16);
        x[1, 3, 5] = float.NaN;
        x[1, 7, 0] = float.NegativeInfinity;

        var run = () => model.call(x, null);

        run.Should().Throw<ArgumentException>().WithMessage(
            "x holds NaN at window 1, frame 3, feature 5 (0-based) and 2 non-finite values in all; the temporal model needs finite features.*");
    }

    [Fact]
    public void The_model_reports_the_tasks_it_predicts()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.Heads.Tasks = AffectTask.ValenceArousal | AffectTask.ActionUnits;
        using var model = new AffectSequenceModel(options);

        model.Tasks.Should().Be(AffectTask.ValenceArousal | AffectTask.ActionUnits);
    }

    [Fact]
    public void A_window_longer_than_the_transformer_allows_is_rejected()
    {
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        using var x = zeros(1, 40, 16);

        var run = () => model.call(x, null);

        run.Should().Throw<ArgumentException>().WithMessage("The window has 40 frames but SegmentTransformerOptions.MaxLength is 32: raise MaxLength*");
    }

    [Fact]
    public void The_paper_preset_is_valid_and_chains_768_features_to_width_512()
    {
        var options = AffectSequenceModelOptions.Base768D512;

        new AffectSequenceModelOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        (options.InputDim, options.Tcn.Channels[^1], options.Transformer.DModel, options.Heads.InputDim).Should().Be((768, 512, 512, 512));
    }

    #endregion
}
