using AffectMae.Core.Data;
using AffectMae.Models.IO;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

// Reference: make_authors_fixtures.py §1, a PyTorch twin written from the description of the authors' released model
// (torch.nn.utils.weight_norm, nn.PReLU, nn.TransformerEncoder, nn.BatchNorm1d), saved as a DataParallel state dict.
public sealed class AuthorsTemporalModelTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> io = Fixture.Load("authors_tiny.io");

    public void Dispose() => io.DisposeAll();

    public static TheoryData<string, AffectTask> Tasks => new()
    {
        { "va", AffectTask.ValenceArousal }, { "expr", AffectTask.Expression }, { "au", AffectTask.ActionUnits },
    };

    #region Parity with the PyTorch twin

    [Theory]
    [MemberData(nameof(Tasks))]
    public void A_released_pt_checkpoint_loads_and_every_frame_matches_pytorch_on_every_device(string task, AffectTask affectTask)
    {
        foreach (var device in Reference.Devices())
        {
            using var model = Loaded(affectTask, $"authors_tiny_{task}.pt");
            model.to(device);

            using var predictions = model.call(io["x"].to(device), null);

            Output(predictions, affectTask).ShouldMatchLogged(io[$"{task}_y"], $"{task} on {device}", output);
        }
    }

    [Fact]
    public void The_safetensors_route_gives_exactly_the_outputs_of_the_pt_route()
    {
        using var fromPickle = Loaded(AffectTask.ValenceArousal, "authors_tiny_va.pt");
        using var fromSafeTensors = Loaded(AffectTask.ValenceArousal, "authors_tiny_va.safetensors");

        using var a = fromPickle.call(io["x"], null);
        using var b = fromSafeTensors.call(io["x"], null);

        a.ValenceArousal!.ShouldMatch(b.ValenceArousal!, "safetensors vs .pt", tolerance: 0);
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public void A_padded_window_gives_its_real_frames_the_outputs_of_the_short_window(string task, AffectTask affectTask)
    {
        using var scope = NewDisposeScope();
        using var model = Loaded(affectTask, $"authors_tiny_{task}.pt");
        var valid = arange(12).unsqueeze(0).lt(tensor(new long[] { 12, 7 }).unsqueeze(1));   // lengths 12 and 7
        var x = io["x"].where(valid.unsqueeze(-1), 9f);                                        // padding holds junk

        using var alone = model.call(io["x"][1..2, ..7], null);
        using var padded = model.call(x, valid);

        Output(alone, affectTask).ShouldMatchLogged(io[$"{task}_y_short"], $"{task} short window", output);
        Output(padded, affectTask)[1..2, ..7].ShouldMatchLogged(io[$"{task}_y_short"], $"{task} padded window", output);
    }

    [Fact]
    public void In_training_the_head_takes_its_batch_statistics_from_the_real_frames_only()
    {
        using var scope = NewDisposeScope();
        var translated = AuthorsCheckpoint.Translate(Fixture.Load("authors_tiny_va"), out _);
        using var head = new BatchNormHead(BatchNormHeadOptions.Tiny32(2));
        StateDictLoader.Load(head, translated, prefix: "head.");
        head.train();
        var valid = Reference.Valid(io["head_valid"]);

        var y = head.call(io["head_tokens"], valid);

        y[valid].ShouldMatchLogged(io["head_train_y"], "training-mode head on the 19 real frames", output);
        var buffers = head.state_dict();
        buffers["1.running_mean"].ShouldMatchLogged(io["head_running_mean"], "running mean", output);
        buffers["1.running_var"].ShouldMatchLogged(io["head_running_var"], "running variance (unbiased batch variance)", output);
        buffers["1.num_batches_tracked"].item<long>().Should().Be(io["head_num_batches_tracked"].item<long>()).And.Be(38);
    }

    #endregion

    #region Sizes and keys

    [Theory]
    [InlineData(AffectTask.ValenceArousal, 20_511_371)]   // counted on the authors' code and on the twin
    [InlineData(AffectTask.Expression, 20_512_913)]
    [InlineData(AffectTask.ActionUnits, 20_513_941)]
    public void The_released_presets_have_the_parameter_counts_of_the_authors_code(AffectTask task, long expected)
    {
        using var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Released(task));

        model.parameters().Sum(p => p.numel()).Should().Be(expected);
    }

    [Fact]
    public void A_block_has_the_released_keys_and_a_downsample_only_where_the_channels_change()
    {
        using var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(AffectTask.ValenceArousal));   // 24 → 24 → 32 → 16

        var keys = model.state_dict().Keys.ToList();

        keys.Where(k => k.StartsWith("temporal.network.0.", StringComparison.Ordinal)).Should().BeEquivalentTo(
            "temporal.network.0.conv1.weight_g", "temporal.network.0.conv1.weight_v", "temporal.network.0.conv1.bias",
            "temporal.network.0.relu1.weight", "temporal.network.0.conv2.weight_g", "temporal.network.0.conv2.weight_v",
            "temporal.network.0.conv2.bias", "temporal.network.0.relu2.weight", "temporal.network.0.relu.weight");
        keys.Should().Contain(["temporal.network.1.downsample.weight", "encoder.conv1.weight",
            "encoder.transformer_encoder.layers.1.self_attn.in_proj_weight", "head.1.running_var", "head.1.num_batches_tracked", "head.2.bias"]);
    }

    #endregion

    #region Checkpoint problems

    [Fact]
    public void A_checkpoint_holding_only_the_net_aliases_loads_the_same()
    {
        using var scope = NewDisposeScope();
        var saved = Fixture.Load("authors_tiny_va").Where(kv => !kv.Key.Contains(".conv1.") || kv.Key.StartsWith("module.encoder", StringComparison.Ordinal)).ToDictionary();
        using var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(AffectTask.ValenceArousal));

        AuthorsCheckpoint.Load(model, saved, "net-only");
        model.eval();

        using var predictions = model.call(io["x"], null);
        predictions.ValenceArousal!.ShouldMatchLogged(io["va_y"], "net-only checkpoint", output);
    }

    [Fact]
    public void A_differing_alias_a_missing_key_and_an_unexpected_key_are_all_reported_together_naming_the_file()
    {
        using var scope = NewDisposeScope();
        var saved = Fixture.Load("authors_tiny_va");
        saved["module.temporal.network.1.net.4.weight_v"] = saved["module.temporal.network.1.net.4.weight_v"] + 0.5f;
        saved.Remove("module.head.1.running_var");
        saved["module.head.3.weight"] = zeros(2);
        using var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(AffectTask.ValenceArousal));

        var load = () => AuthorsCheckpoint.Load(model, saved, "fold0/ckpt_epoch_7_iter_233.pt");

        load.Should().Throw<InvalidDataException>()
            .WithMessage("Cannot load fold0/ckpt_epoch_7_iter_233.pt into AuthorsTemporalModel*")
            .WithMessage("*alias temporal.network.1.net.4.weight_v differs from temporal.network.1.conv2.weight_v (max |Δ| = 0.5)*")
            .WithMessage("*missing keys: head.1.running_var*")
            .WithMessage("*unexpected keys: head.3.weight*");
    }

    [Fact]
    public void A_checkpoint_of_another_task_is_reported_as_a_shape_mismatch()
    {
        using var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(AffectTask.Expression));

        var load = () => AuthorsCheckpoint.Load(model, Fixture.File("authors_tiny_va.pt"));

        load.Should().Throw<InvalidDataException>().WithMessage("*authors_tiny_va.pt*shape mismatches: head.2.bias: *authors_tiny_va.pt has [2], module has [8]*");
    }

    #endregion

    #region Behaviour and options

    [Fact]
    public void Frames_before_t_never_see_frame_t()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var tcn = new CausalTemporalConvNet(CausalTemporalConvNetOptions.Tiny24C16);
        var x = randn(2, 12, 24);
        var changed = x.clone();
        changed[.., 5..] += 1f;

        var a = tcn.call(x);
        var b = tcn.call(changed);

        a[.., ..5].ShouldMatch(b[.., ..5], "frames before the change", tolerance: 0);
        (a[.., 5..] - b[.., 5..]).abs().max().item<float>().Should().BeGreaterThan(1e-3f);
    }

    [Fact]
    public void Weight_norm_scales_each_filter_to_its_length_g()
    {
        // v = [[3, 4]] has norm 5; g = 10 → w = 10 · [3, 4] / 5 = [6, 8]. A second filter [0, −2] with g = 1 → [0, −1].
        using var scope = NewDisposeScope();
        var v = tensor(new float[] { 3, 4, 0, -2 }).reshape(2, 1, 2);
        var g = tensor(new float[] { 10, 1 }).reshape(2, 1, 1);

        WeightNormConv1d.Normalize(g, v).data<float>().ToArray().Should().Equal(6f, 8f, 0f, -1f);
    }

    [Fact]
    public void A_new_weight_normed_convolution_starts_with_w_equal_to_v()
    {
        using var scope = NewDisposeScope();
        using var conv = new WeightNormConv1d(4, 3, 5);

        conv.Weight().ShouldMatch(conv.state_dict()["weight_v"], "w = g·v/‖v‖ with g = ‖v‖");
    }

    [Fact]
    public void A_training_batch_with_one_real_frame_is_rejected_with_what_to_do()
    {
        using var scope = NewDisposeScope();
        using var head = new BatchNormHead(BatchNormHeadOptions.Tiny32(2));
        head.train();
        var valid = zeros(1, 4, dtype: ScalarType.Bool);
        valid[0, 0] = true;

        var run = () => head.call(randn(1, 4, 32), valid);

        run.Should().Throw<ArgumentException>().WithMessage("The training batch holds 1 real frame(s); BatchNorm needs at least 2*");
    }

    [Fact]
    public void Options_changed_after_construction_change_nothing_in_the_model()
    {
        var options = AuthorsTemporalModelOptions.Tiny(AffectTask.Expression);
        using var model = new AuthorsTemporalModel(options);

        options.Task = AffectTask.ActionUnits;
        options.Tcn.Channels = [8];
        model.Options.Tcn.Channels = [9];

        model.Tasks.Should().Be(AffectTask.Expression);
        model.Options.Tcn.Channels.Should().Equal(24, 32, 16);
    }

    [Fact]
    public void Several_tasks_and_widths_that_do_not_chain_are_all_reported()
    {
        var options = AuthorsTemporalModelOptions.Tiny(AffectTask.ValenceArousal);
        options.Task = AffectTask.All;
        options.Transformer.InputDim = 20;
        options.Head.InputDim = 31;

        var build = () => new AuthorsTemporalModel(options);

        build.Should().Throw<ArgumentException>()
            .WithMessage("*predicts exactly one task*")
            .WithMessage("*Transformer.InputDim is 20 but the TCN's last block outputs 16 channels: set Transformer.InputDim to 16*")
            .WithMessage("*Head.InputDim is 31 but the transformer's width DModel is 32*");
    }

    [Fact]
    public void A_dilation_list_of_the_wrong_length_is_rejected_naming_the_causal_options()
    {
        var build = () => new CausalTemporalConvNet(new CausalTemporalConvNetOptions { Channels = [8, 8, 8], Dilations = [1, 2] });

        build.Should().Throw<ArgumentException>().WithMessage("*CausalTemporalConvNetOptions.Dilations has 2 entries but Channels has 3: give one dilation per block*");
    }

    [Fact]
    public void A_head_with_the_wrong_output_count_for_the_task_is_rejected()
    {
        var options = AuthorsTemporalModelOptions.Tiny(AffectTask.ActionUnits);
        options.Head.OutputDim = 8;

        var build = () => new AuthorsTemporalModel(options);

        build.Should().Throw<ArgumentException>().WithMessage("*Head.OutputDim is 8 but ActionUnits has 12 outputs a frame: set Head.OutputDim to 12*");
    }

    #endregion

    private static AuthorsTemporalModel Loaded(AffectTask task, string file)
    {
        var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(task));
        AuthorsCheckpoint.Load(model, Fixture.File(file));
        model.eval();
        return model;
    }

    private static Tensor Output(AffectPredictions predictions, AffectTask task) => task switch
    {
        AffectTask.ValenceArousal => predictions.ValenceArousal!,
        AffectTask.Expression => predictions.Expression!,
        _ => predictions.ActionUnits!,
    };
}
