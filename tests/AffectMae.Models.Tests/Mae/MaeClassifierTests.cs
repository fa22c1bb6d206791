using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Mae;

public class MaeClassifierTests
{
    [Fact]
    public void Logits_match_the_official_global_pool_ViT()
    {
        // Reference: facebookresearch/mae models_vit.py with global_pool=True (Fixtures/make_fixtures.py §2).
        var io = Fixture.Load("mae_classifier_tiny.io");
        using var model = new MaeClassifier(MaeClassifierOptions.Tiny);
        StateDictLoader.LoadFile(model, Fixture.Path("mae_classifier_tiny.weights"));
        model.eval();

        model.call(io["images"]).ShouldMatch(io["logits"], "logits");
    }

    [Fact]
    public void The_encoder_of_a_pretrained_MAE_loads_and_the_decoder_is_left_out()
    {
        using var mae = new MaeViT(MaeViTOptions.Tiny);
        StateDictLoader.LoadFile(mae, Fixture.Path("mae_tiny.weights"));
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);

        MaeCheckpoint.LoadPretrainedEncoder(classifier, Fixture.Path("mae_tiny.weights"));

        var maeWeights = mae.state_dict();
        var loaded = classifier.state_dict();
        foreach (var key in loaded.Keys.Where(k => !k.StartsWith("fc_norm.") && !k.StartsWith("head.")))
            loaded[key].ShouldMatch(maeWeights[key], key, tolerance: 0);
        loaded.Keys.Should().NotContain(k => k.StartsWith("decoder_") || k == "mask_token" || k.StartsWith("norm."));
    }

    [Fact]
    public void Weights_saved_under_a_model_entry_are_unwrapped()
    {
        using var mae = new MaeViT(MaeViTOptions.Tiny);
        var wrapped = mae.state_dict().ToDictionary(kv => "model." + kv.Key, kv => kv.Value);
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);

        MaeCheckpoint.LoadPretrainedEncoder(classifier, wrapped);

        classifier.state_dict()["blocks.1.attn.qkv.weight"].ShouldMatch(mae.state_dict()["blocks.1.attn.qkv.weight"], "qkv", tolerance: 0);
    }

    [Fact]
    public void A_checkpoint_missing_an_encoder_key_is_rejected_naming_it()
    {
        using var mae = new MaeViT(MaeViTOptions.Tiny);
        var checkpoint = mae.state_dict().Where(kv => kv.Key != "blocks.0.norm1.bias").ToDictionary();
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);

        var load = () => MaeCheckpoint.LoadPretrainedEncoder(classifier, checkpoint);

        load.Should().Throw<InvalidDataException>().WithMessage("*missing: [blocks.0.norm1.bias, fc_norm.bias, fc_norm.weight, head.bias, head.weight]*");
    }

    [Fact]
    public void A_position_table_for_another_grid_is_resampled_keeping_the_class_row()
    {
        // A 2×2 table whose rows are constant (value = row index) resampled to 4×4: bicubic interpolation of a
        // constant channel stays that constant only where the whole grid is constant, so use a table constant
        // across rows: every patch row equal to c → every resampled row equals c. The class row is copied as is.
        using var _ = NewDisposeScope();
        var table = cat([full(1, 1, 8, -1f), full(1, 4, 8, 0.5f)], 1);   // [1, 1 + 2², 8]

        var resampled = MaeCheckpoint.InterpolatePosEmbed(table, 4)!;

        resampled.shape.Should().Equal(1, 17, 8);
        resampled[0, 0].data<float>().ToArray().Should().OnlyContain(v => v == -1f);
        resampled[0, 1..].allclose(full(16, 8, 0.5f), atol: 1e-6).Should().BeTrue();
        MaeCheckpoint.InterpolatePosEmbed(table, 2).Should().BeNull("the grid already matches");
    }

    [Fact]
    public void A_position_table_that_is_not_one_by_rows_by_width_is_rejected_naming_the_key_and_shape()
    {
        using var flat = zeros(5, 8);                       // [1 + 2², D] without the batch dimension
        using var noPatches = zeros(1, 1, 8);               // only the class row

        FluentActions.Invoking(() => MaeCheckpoint.InterpolatePosEmbed(flat, 4, "mae.safetensors")).Should().Throw<InvalidDataException>()
            .WithMessage("mae.safetensors: 'pos_embed' has shape [5, 8] and dtype Float32; expected floating-point [1, 1 + g², D]*");
        FluentActions.Invoking(() => MaeCheckpoint.InterpolatePosEmbed(noPatches, 4)).Should().Throw<InvalidDataException>()
            .WithMessage("checkpoint: 'pos_embed' has shape [1, 1, 8]*");
    }

    [Fact]
    public void A_checkpoint_with_a_nan_weight_is_refused_unless_allowed()
    {
        using var mae = new MaeViT(MaeViTOptions.Tiny);
        StateDictLoader.LoadFile(mae, Fixture.Path("mae_tiny.weights"));
        var weights = mae.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        weights["blocks.0.attn.qkv.weight"][0, 1] = float.NaN;
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);

        FluentActions.Invoking(() => MaeCheckpoint.LoadPretrainedEncoder(classifier, weights, "nan.safetensors")).Should().Throw<InvalidDataException>()
            .WithMessage("*non-finite weights*blocks.0.attn.qkv.weight holds 1 (the first, NaN, at [0, 1])*");
        MaeCheckpoint.LoadPretrainedEncoder(classifier, weights, "nan.safetensors", allowNonFinite: true);
        foreach (var tensor in weights.Values) tensor.Dispose();
    }

    [Fact]
    public void Layer_decay_gives_each_block_its_own_rate_and_exempts_biases_and_tokens_from_weight_decay()
    {
        // Tiny: depth 2, so layers 0 (embeddings), 1, 2 (blocks), 3 (fc_norm, head); decay 0.75:
        // rates 1e-3·0.75³, ·0.75², ·0.75, ·1.
        using var model = new MaeClassifier(MaeClassifierOptions.Tiny);

        var groups = model.ParameterGroups(1e-3, 0.05);

        var rates = groups.Select(g => g.Options.LearningRate!.Value).Distinct().Order().ToArray();
        rates.Should().BeEquivalentTo(new[] { 1e-3 * 0.421875, 1e-3 * 0.5625, 1e-3 * 0.75, 1e-3 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-15)).WhenTypeIs<double>());
        groups.Sum(g => g.Parameters.Count()).Should().Be(model.parameters().Count());
        // Official MAE (main_finetune.py → util/lr_decay.py param_groups_lrd): no decay for p.ndim == 1 (biases and norm
        // weights) and for the names in models_vit's no_weight_decay(): pos_embed, cls_token. Everything else decays.
        var noDecay = groups.Where(g => g.Options.weight_decay == 0).SelectMany(g => g.Parameters).Select(p => p.Handle).ToHashSet();
        var named = model.named_parameters().ToList();
        var expected = named.Where(p => p.parameter.dim() == 1 || p.name is "pos_embed" or "cls_token").Select(p => p.name).ToList();
        named.Where(p => noDecay.Contains(p.parameter.Handle)).Select(p => p.name).Should().BeEquivalentTo(expected);
        expected.Should().Contain(["pos_embed", "cls_token", "blocks.0.attn.qkv.bias", "fc_norm.weight"]);
        groups.Where(g => g.Options.weight_decay == 0.05).SelectMany(g => g.Parameters).Should().HaveCount(named.Count - expected.Count);
    }
}
