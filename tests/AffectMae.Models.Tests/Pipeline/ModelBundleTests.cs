using System.Text.Json.Nodes;
using AffectMae.Core.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Pipeline;

[Collection(GlobalRngCollection.Name)]
public sealed class ModelBundleTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-bundle-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_bundle_rebuilds_its_model_without_the_caller_knowing_its_settings()
    {
        var (encoderFolder, temporalFolder) = TinyModels.SaveBundles(folder);
        manual_seed(2);
        using var images = randn(3, 3, 32, 32);
        using var frames = randn(2, 12, 64);

        using var encoder = EncoderBundle.Load(encoderFolder);
        using var temporal = TemporalBundle.Load(temporalFolder);
        manual_seed(1);   // the seed the bundles' weights were drawn with: the same models, built by hand
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);
        using var sequence = new AffectSequenceModel(TinyModels.SequenceModel());
        classifier.eval();
        sequence.eval();

        using (no_grad())
        {
            Values(encoder.Extractor.ExtractFeatures(images)).Should().Equal(Values(classifier.ExtractFeatures(images)), "bit for bit on the CPU");
            using var loaded = temporal.Model.call(frames, null);
            using var built = sequence.call(frames, null);
            Values(loaded.ValenceArousal!).Should().Equal(Values(built.ValenceArousal!));
            Values(loaded.ActionUnits!).Should().Equal(Values(built.ActionUnits!));
        }
        encoder.Manifest.Encoder!.FeatureDim.Should().Be(64);
        (temporal.Segmenter.WindowLength, temporal.Segmenter.Stride).Should().Be((12, 4));
        temporal.Manifest.Temporal!.EncoderSha256.Should().Be(encoder.WeightsSha256);
        temporal.ActionUnitThresholds.Should().HaveCount(12).And.OnlyContain(t => t == 0.5f);
    }

    [Fact]
    public void Weights_changed_after_saving_are_refused_naming_the_field()
    {
        var (encoderFolder, _) = TinyModels.SaveBundles(folder);
        string weights = Path.Combine(encoderFolder, ModelManifest.WeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0x01;                                       // one bit of the last weight
        File.WriteAllBytes(weights, bytes);

        var load = () => EncoderBundle.Load(encoderFolder);

        load.Should().Throw<InvalidDataException>().WithMessage($"*{Path.Combine(encoderFolder, ModelManifest.FileName)}: field WeightsSha256 is *the weights were changed or replaced*");
    }

    [Fact]
    public void A_manifest_edited_to_another_model_is_named_when_its_weights_do_not_fit()
    {
        var (encoderFolder, temporalFolder) = TinyModels.SaveBundles(folder);
        string encoderManifest = Path.Combine(encoderFolder, ModelManifest.FileName), temporalManifest = Path.Combine(temporalFolder, ModelManifest.FileName);
        var encoder = JsonNode.Parse(File.ReadAllText(encoderManifest))!;
        encoder["Encoder"]!["Mae"]!["Depth"] = encoder["Encoder"]!["Mae"]!["Depth"]!.GetValue<int>() + 1;   // one block more than the weights hold
        File.WriteAllText(encoderManifest, encoder.ToJsonString());
        var temporal = JsonNode.Parse(File.ReadAllText(temporalManifest))!;
        var tcn = temporal["Temporal"]!.AsObject().First(p => p.Value is JsonObject o && o.ContainsKey("Tcn")).Value!["Tcn"]!;
        tcn["KernelSize"] = tcn["KernelSize"]!.GetValue<int>() + 2;                                       // wider kernels than the weights
        File.WriteAllText(temporalManifest, temporal.ToJsonString());

        var loadEncoder = () => EncoderBundle.Load(encoderFolder);
        var loadTemporal = () => TemporalBundle.Load(temporalFolder);

        loadEncoder.Should().Throw<InvalidDataException>().WithMessage($"{encoderManifest}: the model that field Encoder describes does not fit the bundle's weights*blocks.*");
        loadTemporal.Should().Throw<InvalidDataException>().WithMessage($"{temporalManifest}: the model that field Temporal describes does not fit the bundle's weights*");
    }

    [Theory]
    [InlineData("FormatVersion", "4", "field FormatVersion is 4, newer than this library reads (3)")]
    [InlineData("Kind", "\"Sound\"", "$.Kind")]
    [InlineData("Temporal", "null", "field Temporal is missing; a Temporal bundle needs it")]
    [InlineData("Colour", "\"blue\"", "Colour")]
    public void A_manifest_that_does_not_hold_together_is_refused_naming_the_file_and_field(string field, string value, string expected)
    {
        var (_, temporalFolder) = TinyModels.SaveBundles(folder);
        string path = Path.Combine(temporalFolder, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json[field] = JsonNode.Parse(value);
        File.WriteAllText(path, json.ToJsonString());

        var load = () => TemporalBundle.Load(temporalFolder);

        load.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain(expected);
    }

    [Fact]
    public void An_encoder_bundle_carries_the_crop_rule_of_its_training_frames_and_an_older_manifest_reads_as_the_default()
    {
        manual_seed(1);
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);
        var rule = new FaceCropOptions { OutputSize = 224, Margin = 0.4, CenterShift = -0.1, AlignEyes = false, Border = CropBorder.Replicate };
        string encoderFolder = Path.Combine(folder, "encoder");
        EncoderBundle.Save(encoderFolder, classifier, new NormalizationOptions(), "tiny", rule);
        string path = Path.Combine(encoderFolder, ModelManifest.FileName);
        JsonNode.Parse(File.ReadAllText(path))!["Encoder"]!["FaceCrop"]!.ToJsonString()
            .Should().Be("""{"OutputSize":224,"Margin":0.4,"CenterShift":-0.1,"AlignEyes":false,"Border":"Replicate"}""");
        using (var loaded = EncoderBundle.Load(encoderFolder))
            loaded.Manifest.Encoder!.FaceCrop.Should().BeEquivalentTo(rule);

        // A manifest written before the field existed (format 2): the rule of Aff-Wild2's frames, the defaults.
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["FormatVersion"]!.GetValue<int>().Should().Be(3);
        json["FormatVersion"] = 2;
        json["Encoder"]!.AsObject().Remove("FaceCrop");
        File.WriteAllText(path, json.ToJsonString());
        using (var older = EncoderBundle.Load(encoderFolder))
            older.Manifest.Encoder!.FaceCrop.Should().BeEquivalentTo(new FaceCropOptions());
    }

    [Fact]
    public void A_format_3_encoder_manifest_without_its_crop_rule_is_refused_rather_than_read_as_the_default()
    {
        var (encoderFolder, _) = TinyModels.SaveBundles(folder);
        string path = Path.Combine(encoderFolder, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["Encoder"]!.AsObject().Remove("FaceCrop");
        File.WriteAllText(path, json.ToJsonString());

        var load = () => EncoderBundle.Load(encoderFolder);

        load.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path)
            .And.Contain("field Encoder.FaceCrop is missing; a format 3 encoder manifest records how its training faces were cut");
    }

    [Fact]
    public void A_crop_rule_that_does_not_hold_together_is_refused_naming_the_field()
    {
        var (encoderFolder, _) = TinyModels.SaveBundles(folder);
        string path = Path.Combine(encoderFolder, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["Encoder"]!["FaceCrop"]!["Margin"] = 0.05;
        json["Encoder"]!["FaceCrop"]!["CenterShift"] = 0.2;
        File.WriteAllText(path, json.ToJsonString());

        var load = () => EncoderBundle.Load(encoderFolder);

        load.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(path).And.Contain("field Encoder.FaceCrop: FaceCropOptions.CenterShift (0.2) moves the crop further than its Margin (0.05)");
    }

    [Fact]
    public void A_temporal_bundle_given_where_an_encoder_is_expected_is_refused()
    {
        var (_, temporalFolder) = TinyModels.SaveBundles(folder);

        var load = () => EncoderBundle.Load(temporalFolder);

        load.Should().Throw<InvalidDataException>().WithMessage("*field Kind is Temporal; an encoder bundle has Kind Encoder or MaskedAutoencoder*");
    }

    [Fact]
    public void A_recognizer_refuses_a_temporal_model_trained_on_another_encoders_features()
    {
        var (encoderFolder, temporalFolder) = TinyModels.SaveBundles(folder);
        var (otherEncoder, _) = TinyModels.SaveBundles(Path.Combine(folder, "other"), seed: 9);

        var pair = () => AffectRecognizer.Load(otherEncoder, temporalFolder);
        using var allowed = AffectRecognizer.Load(otherEncoder, temporalFolder, options: new AffectRecognizerOptions { AllowEncoderMismatch = true });

        pair.Should().Throw<InvalidOperationException>().WithMessage("*was trained on the features of encoder weights*Pair models of one run*");
        allowed.Encoder.Folder.Should().Be(otherEncoder);
        _ = encoderFolder;
    }

    private static float[] Values(Tensor tensor) => tensor.data<float>().ToArray();
}
