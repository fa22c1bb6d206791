using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Tests.Fixtures;
using AffectMae.Models.Tests.Temporal;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Mae;

// mae_tiny_official.pth: mae_tiny.weights saved by torch.save in the layout of MAE's training checkpoints
// ({'model', 'optimizer', 'epoch', 'scaler', 'args'}); mae_classifier_tiny_official.pth: the models_vit classifier
// weights saved as a fine-tuning checkpoint (make_authors_fixtures.py §3).
public sealed class MaePyTorchCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> io = Fixture.Load("mae_tiny.io");

    public void Dispose() => io.DisposeAll();

    [Fact]
    public void An_official_layout_pth_gives_the_outputs_of_the_safetensors_route()
    {
        using var fromPth = new MaeViT(MaeViTOptions.Tiny);
        using var fromSafeTensors = new MaeViT(MaeViTOptions.Tiny);
        MaeCheckpoint.LoadPretraining(fromPth, Fixture.File("mae_tiny_official.pth"));
        MaeCheckpoint.LoadPretraining(fromSafeTensors, Fixture.Path("mae_tiny.weights"));
        fromPth.eval();
        fromSafeTensors.eval();

        var (loss, pred, _) = fromPth.Forward(io["images"], 0.75, io["noise"]);
        var (referenceLoss, referencePred, _) = fromSafeTensors.Forward(io["images"], 0.75, io["noise"]);

        pred.ShouldMatch(referencePred, "pred, .pth vs safetensors", tolerance: 0);
        loss.ShouldMatch(referenceLoss, "loss, .pth vs safetensors", tolerance: 0);
        pred.ShouldMatchLogged(io["pred"], "pred from the .pth vs PyTorch", output);
    }

    [Fact]
    public void The_encoder_of_an_official_pth_loads_into_a_classifier_as_from_safetensors()
    {
        using var fromPth = new MaeClassifier(MaeClassifierOptions.Tiny);
        using var fromSafeTensors = new MaeClassifier(MaeClassifierOptions.Tiny);

        MaeCheckpoint.LoadPretrainedEncoder(fromPth, Fixture.File("mae_tiny_official.pth"));
        MaeCheckpoint.LoadPretrainedEncoder(fromSafeTensors, Fixture.Path("mae_tiny.weights"));

        var a = fromPth.state_dict();
        foreach (var (key, value) in fromSafeTensors.state_dict().Where(kv => !kv.Key.StartsWith("fc_norm.") && !kv.Key.StartsWith("head.")))
            a[key].ShouldMatch(value, key, tolerance: 0);
    }

    [Fact]
    public void A_class_token_classifier_keeps_the_pretrained_norm_and_gives_the_class_token_features()
    {
        var options = MaeClassifierOptions.Tiny;
        options.Encoder.Pooling = FeaturePooling.ClassToken;
        using var classifier = new MaeClassifier(options);

        MaeCheckpoint.LoadPretrainedEncoder(classifier, Fixture.File("mae_tiny_official.pth"));
        classifier.eval();

        classifier.state_dict().Keys.Should().Contain("norm.weight").And.NotContain("fc_norm.weight");
        classifier.ExtractFeatures(io["images"]).ShouldMatchLogged(io["features_cls"], "LN(class token) vs PyTorch", output);
    }

    [Fact]
    public void A_fine_tuned_models_vit_checkpoint_gives_the_reference_logits()
    {
        using var scope = NewDisposeScope();
        var classifierIo = Fixture.Load("mae_classifier_tiny.io");
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);

        MaeCheckpoint.LoadFineTuned(classifier, Fixture.File("mae_classifier_tiny_official.pth"));
        classifier.eval();

        classifier.call(classifierIo["images"]).ShouldMatchLogged(classifierIo["logits"], "logits of the fine-tuned .pth vs models_vit", output);
    }

    [Fact]
    public void A_fine_tuned_checkpoint_loads_without_its_head_into_a_classifier_with_other_classes()
    {
        var options = MaeClassifierOptions.Tiny;
        options.NumClasses = 5;
        using var classifier = new MaeClassifier(options);
        using var head = classifier.state_dict()["head.weight"].clone();

        MaeCheckpoint.LoadFineTuned(classifier, Fixture.File("mae_classifier_tiny_official.pth"), loadHead: false);

        classifier.state_dict()["head.weight"].ShouldMatch(head, "the model's own head", tolerance: 0);
        var load = () => MaeCheckpoint.LoadFineTuned(classifier, Fixture.File("mae_classifier_tiny_official.pth"));
        load.Should().Throw<InvalidDataException>().WithMessage("*shape mismatches:*head.bias: *has [8], module has [5]*");
    }

    [Fact]
    public void A_global_pool_checkpoint_refuses_a_class_token_classifier_with_what_to_change()
    {
        var options = MaeClassifierOptions.Tiny;
        options.Encoder.Pooling = FeaturePooling.ClassToken;
        using var classifier = new MaeClassifier(options);

        var load = () => MaeCheckpoint.LoadFineTuned(classifier, Fixture.File("mae_classifier_tiny_official.pth"));

        load.Should().Throw<InvalidDataException>().WithMessage("*mae_classifier_tiny_official.pth was fine-tuned with global pooling (it holds fc_norm): build the classifier with Encoder.Pooling = FeaturePooling.MeanPatchTokens*");
    }

    [Fact]
    public void A_hostile_pth_is_refused_before_anything_loads()
    {
        using var mae = new MaeViT(MaeViTOptions.Tiny);

        var load = () => MaeCheckpoint.LoadPretraining(mae, Fixture.File("pickle_os_system.pth"));

        load.Should().Throw<UnsafePickleException>().WithMessage("*'posix.system'*");
    }
}
