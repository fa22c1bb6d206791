using AffectMae.Core.Data;
using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Runtime;

/// <summary>
/// bfloat16 inference against float32 on the same weights and inputs. bfloat16 keeps 8 significant bits, so each
/// rounding moves a value by at most 2⁻⁹ ≈ 0.2 % of itself; what reaches a feature vector is a relative error of a
/// few 10⁻³, i.e. a cosine of 1 − (few 10⁻³)²/2 ≈ 0.99999. Measured here: tiny encoder 0.999993 (ViT-B/16,
/// benchmarks/ case precision-accuracy: 0.999993). The tests demand 0.9999 — a relative error of 1.4 %, several
/// times what rounding gives — and so fail when a part runs in the wrong type or is skipped, not on rounding noise.
/// </summary>
[Collection(GlobalRngCollection.Name)]   // seeded model initialisation
public sealed class ReducedPrecisionInferenceTests(ITestOutputHelper output)
{
    private const double MinimumMeanCosine = 0.9999;

    [Fact]
    public void Bfloat16_features_of_the_tiny_encoder_agree_with_float32()
    {
        using var scope = NewDisposeScope();
        using var reference = LoadTinyClassifier();
        using var model = LoadTinyClassifier();
        var images = randn([32, 3, 32, 32], generator: new Generator(7));

        var choice = model.UseInferencePrecision(InferencePrecision.BFloat16);

        using var _ = no_grad();
        var expected = reference.ExtractFeatures(images);
        var features = model.ExtractFeatures(images);
        var cosine = nn.functional.cosine_similarity(features, expected, 1);
        output.WriteLine($"{choice}: cosine mean {cosine.mean().item<float>():F6}, min {cosine.min().item<float>():F6}");
        features.dtype.Should().Be(ScalarType.Float32, "features come back as float32");
        cosine.mean().item<float>().Should().BeGreaterThanOrEqualTo((float)MinimumMeanCosine);
        (features - expected).abs().max().item<float>().Should().BePositive("the blocks really ran in bfloat16");
        model.call(images).dtype.Should().Be(ScalarType.Float32, "logits come back as float32");
    }

    [Fact]
    public void Bfloat16_casts_the_blocks_and_keeps_norms_and_head_in_float32()
    {
        using var model = new MaeClassifier(MaeClassifierOptions.Tiny);

        model.UseInferencePrecision(InferencePrecision.BFloat16);

        var types = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.dtype);
        types["blocks.0.attn.qkv.weight"].Should().Be(ScalarType.BFloat16);
        types["patch_embed.proj.weight"].Should().Be(ScalarType.BFloat16);
        types["pos_embed"].Should().Be(ScalarType.BFloat16);
        types["blocks.1.norm2.weight"].Should().Be(ScalarType.Float32);
        types["fc_norm.bias"].Should().Be(ScalarType.Float32);
        types["head.weight"].Should().Be(ScalarType.Float32);
        model.training.Should().BeFalse("the model is ready for inference");
    }

    [Fact]
    public void Float32_precision_leaves_the_features_bit_identical()
    {
        using var scope = NewDisposeScope();
        using var model = LoadTinyClassifier();
        var images = randn([4, 3, 32, 32], generator: new Generator(8));
        using var _ = no_grad();
        var before = model.ExtractFeatures(images);

        model.UseInferencePrecision(InferencePrecision.Float32);

        (model.ExtractFeatures(images) - before).abs().max().item<float>().Should().Be(0f);
    }

    [Fact]
    public void A_model_cast_to_bfloat16_refuses_to_train()
    {
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);
        using var mae = new MaeViT(MaeViTOptions.Tiny);
        using var sequence = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        classifier.UseInferencePrecision(InferencePrecision.BFloat16);
        mae.UseInferencePrecision(InferencePrecision.BFloat16);
        sequence.UseInferencePrecision(InferencePrecision.BFloat16);

        classifier.Invoking(m => m.train()).Should().Throw<InvalidOperationException>().WithMessage("MaeClassifier holds bfloat16 weights for inference*cannot be trained*float32 copy*");
        mae.Invoking(m => m.train()).Should().Throw<InvalidOperationException>().WithMessage("MaeViT holds bfloat16 weights*");
        sequence.Invoking(m => m.train()).Should().Throw<InvalidOperationException>().WithMessage("AffectSequenceModel holds bfloat16 weights*");
        classifier.Invoking(m => m.eval()).Should().NotThrow();
    }

    [Fact]
    public void Bfloat16_mae_features_and_reconstruction_come_back_as_float32()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var reference = new MaeViT(MaeViTOptions.Tiny);
        using var model = new MaeViT(MaeViTOptions.Tiny);
        model.load_state_dict(reference.state_dict());
        reference.eval();
        var images = randn([16, 3, 32, 32], generator: new Generator(9));
        var noise = rand([16, 16], generator: new Generator(10));

        model.UseInferencePrecision(InferencePrecision.BFloat16);

        using var _ = no_grad();
        var cosine = nn.functional.cosine_similarity(model.ExtractFeatures(images), reference.ExtractFeatures(images), 1).mean().item<float>();
        var (loss, pred, mask) = model.Forward(images, 0.75, noise);
        var (referenceLoss, referencePred, _) = reference.Forward(images, 0.75, noise);
        output.WriteLine($"MaeViT features cosine {cosine:F6}; loss {loss.item<float>():F5} against {referenceLoss.item<float>():F5}");
        cosine.Should().BeGreaterThanOrEqualTo((float)MinimumMeanCosine);
        pred.dtype.Should().Be(ScalarType.Float32);
        loss.item<float>().Should().BeApproximately(referenceLoss.item<float>(), 0.01f * referenceLoss.item<float>());
    }

    [Fact]
    public void Bfloat16_predictions_of_the_temporal_model_agree_with_float32()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var options = new AffectSequenceModelOptions
        {
            InputDim = 32,
            Tcn = new TemporalConvNetOptions { InputDim = 32, Channels = [32, 32], KernelSize = 3, Dilations = [1, 2] },
            Transformer = new SegmentTransformerOptions { DModel = 32, NumHeads = 4, NumLayers = 2, FeedForwardDim = 64, MaxLength = 64 },
            Heads = new TaskHeadsOptions { InputDim = 32, HiddenDim = 16 },
        };
        using var reference = new AffectSequenceModel(options);
        using var model = new AffectSequenceModel(options);
        model.load_state_dict(reference.state_dict());
        reference.eval();
        var x = randn([4, 48, 32], generator: new Generator(11));
        var valid = arange(48).unsqueeze(0).lt(tensor(new long[] { 48, 48, 30, 12 }).unsqueeze(1));

        model.UseInferencePrecision(InferencePrecision.BFloat16);

        using var _ = no_grad();
        using var expected = reference.call(x, valid);
        using var predictions = model.call(x, valid);
        ShouldAgree(predictions, expected, valid);
    }

    [Fact]
    public void Bfloat16_predictions_of_the_authors_per_task_models_agree_with_float32()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        AffectTask[] tasks = [AffectTask.ValenceArousal, AffectTask.Expression, AffectTask.ActionUnits];
        using var reference = new PerTaskTemporalModel(tasks.Select(t => new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(t))));
        using var model = new PerTaskTemporalModel(tasks.Select(t => new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(t))));
        model.load_state_dict(reference.state_dict());
        reference.eval();
        var x = randn([3, 40, 24], generator: new Generator(12));
        var valid = arange(40).unsqueeze(0).lt(tensor(new long[] { 40, 25, 9 }).unsqueeze(1));

        model.UseInferencePrecision(InferencePrecision.BFloat16);

        var types = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.dtype);
        types["va.temporal.network.0.conv1.weight_v"].Should().Be(ScalarType.BFloat16);
        types["expr.encoder.conv1.weight"].Should().Be(ScalarType.BFloat16);
        types["au.head.0.weight"].Should().Be(ScalarType.Float32, "the heads stay float32");
        model.Invoking(m => m.train()).Should().Throw<InvalidOperationException>().WithMessage("PerTaskTemporalModel holds bfloat16 weights*");
        using var _ = no_grad();
        using var expected = reference.call(x, valid);
        using var predictions = model.call(x, valid);
        ShouldAgree(predictions, expected, valid);
    }

    [Fact]
    public void Bfloat16_class_token_features_agree_with_float32()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var options = MaeClassifierOptions.Tiny;
        options.Encoder.Pooling = FeaturePooling.ClassToken;
        using var reference = new MaeClassifier(options);
        using var model = new MaeClassifier(options);
        model.load_state_dict(reference.state_dict());
        reference.eval();
        var images = randn([16, 3, 32, 32], generator: new Generator(13));

        model.UseInferencePrecision(InferencePrecision.BFloat16);

        model.named_parameters().Single(p => p.name == "norm.weight").parameter.dtype.Should().Be(ScalarType.Float32);
        using var _ = no_grad();
        var features = model.ExtractFeatures(images);
        features.dtype.Should().Be(ScalarType.Float32);
        nn.functional.cosine_similarity(features, reference.ExtractFeatures(images), 1).mean().item<float>()
            .Should().BeGreaterThanOrEqualTo((float)MinimumMeanCosine);
    }

    private static MaeClassifier LoadTinyClassifier()
    {
        var model = new MaeClassifier(MaeClassifierOptions.Tiny);
        StateDictLoader.LoadFile(model, Fixture.Path("mae_classifier_tiny.weights"));
        model.eval();
        return model;
    }

    // Each task's outputs come back as float32, with a mean cosine to float32's of at least MinimumMeanCosine on real frames.
    private void ShouldAgree(AffectPredictions predictions, AffectPredictions expected, Tensor valid)
    {
        foreach (var (actual, wanted, name) in predictions.Tensors.Zip(expected.Tensors, ["va", "expr", "au"]))
        {
            actual.dtype.Should().Be(ScalarType.Float32, $"{name} comes back as float32");
            var cosine = nn.functional.cosine_similarity(actual[valid], wanted[valid], 1).mean().item<float>();
            output.WriteLine($"{name}: cosine {cosine:F6}, max |Δ| {(actual[valid] - wanted[valid]).abs().max().item<float>():E2}");
            cosine.Should().BeGreaterThanOrEqualTo((float)MinimumMeanCosine, name);
        }
    }
}
