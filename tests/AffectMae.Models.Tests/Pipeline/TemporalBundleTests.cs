using System.Text.Json.Nodes;
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Pipeline;

[Collection(GlobalRngCollection.Name)]
public sealed class TemporalBundleTests : IDisposable
{
    private readonly ScratchFolder folder = new("affectmae-bundle-");
    private static readonly SegmentationOptions Windows = new() { WindowLength = 8, Stride = 3 };

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_authors_models_saved_as_one_bundle_load_as_the_same_models_with_their_options_and_protocol()
    {
        using var scope = NewDisposeScope();
        using var joined = TinyModels.AuthorsJoined();
        string bundle = Path.Combine(folder.Path, "authors");

        var manifest = TemporalBundle.Save(bundle, joined, Windows, "tiny", inference: InferenceOptions.Released);
        using var loaded = TemporalBundle.Load(bundle);

        manifest.FormatVersion.Should().Be(3);
        loaded.ModelKind.Should().Be(TemporalModelKind.AuthorsTemporalModel);
        loaded.Manifest.Temporal!.SequenceModel.Should().BeNull();
        loaded.Manifest.Temporal.AuthorsModels!.Select(o => o.Task).Should().Equal(AffectTask.ValenceArousal, AffectTask.Expression, AffectTask.ActionUnits);
        loaded.Inference.Should().BeEquivalentTo(InferenceOptions.Released);
        loaded.Model.Should().BeOfType<PerTaskTemporalModel>().Which.Models.Should().AllBeOfType<AuthorsTemporalModel>();
        loaded.Model.state_dict().Keys.Should().BeEquivalentTo(joined.state_dict().Keys);
        var x = tensor(TinyModels.Features(20, 1), [2, 10, TinyModels.Width]);
        using var expected = joined.call(x, null);
        using var actual = loaded.Model.call(x, null);
        foreach (var (a, e) in actual.Tensors.Zip(expected.Tensors))
            a.ShouldMatch(e, "bundle round trip", tolerance: 0);
        actual.Tensors.Should().HaveCount(3);
    }

    [Fact]
    public void A_bundle_of_some_tasks_predicts_only_those()
    {
        using var model = TinyModels.Authors(AffectTask.Expression);
        string bundle = Path.Combine(folder.Path, "expr");

        TemporalBundle.Save(bundle, model, Windows, "tiny");                   // a bare model: saved as the one model of a joined set
        using var loaded = TemporalBundle.Load(bundle);
        using var x = tensor(TinyModels.Features(10, 2), [1, 10, TinyModels.Width]);
        using var predictions = loaded.Model.call(x, null);

        loaded.Model.Tasks.Should().Be(AffectTask.Expression);
        loaded.Model.state_dict().Keys.Should().OnlyContain(k => k.StartsWith("expr.", StringComparison.Ordinal));
        (predictions.ValenceArousal, predictions.ActionUnits).Should().Be((null, null));
        using var direct = model.call(x, null);
        predictions.Expression!.ShouldMatch(direct.Expression!, "expression model", tolerance: 0);
        loaded.Inference.Should().BeEquivalentTo(InferenceOptions.OverlapAverage, "no protocol given: ours");
    }

    [Fact]
    public void Our_model_saves_as_before_and_a_format_1_manifest_reads_as_ours_predicting_by_overlap_average()
    {
        using var model = TinyModels.Ours(3);
        string bundle = Path.Combine(folder.Path, "ours");
        TemporalBundle.Save(bundle, model, Windows, "tiny", inference: new InferenceOptions { Protocol = InferenceProtocol.LastWindowWins });
        string manifestFile = Path.Combine(bundle, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifestFile))!.AsObject();
        json["FormatVersion"] = 1;                                               // as written before the temporal model had a kind
        var temporal = json["Temporal"]!.AsObject();
        temporal.Remove("Model");
        temporal.Remove("Inference");
        temporal.Remove("AuthorsModels");
        temporal.Remove("TrainingByTask");
        File.WriteAllText(manifestFile, json.ToJsonString());

        using var loaded = TemporalBundle.Load(bundle);

        loaded.ModelKind.Should().Be(TemporalModelKind.AffectSequenceModel);
        loaded.Model.Should().BeOfType<AffectSequenceModel>();
        loaded.Inference.Protocol.Should().Be(InferenceProtocol.OverlapAverage);
    }

    [Fact]
    public void A_manifest_naming_one_model_kind_with_the_other_s_options_is_refused_naming_the_field()
    {
        using var model = TinyModels.Ours(4);
        string bundle = Path.Combine(folder.Path, "mixed");
        TemporalBundle.Save(bundle, model, Windows, "tiny");
        string manifestFile = Path.Combine(bundle, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifestFile))!.AsObject();
        json["Temporal"]!["Model"] = "AuthorsTemporalModel";
        File.WriteAllText(manifestFile, json.ToJsonString());

        var load = () => TemporalBundle.Load(bundle);

        load.Should().Throw<InvalidDataException>().WithMessage("*field Temporal.SequenceModel is set but Model is AuthorsTemporalModel*field Temporal.AuthorsModels is missing*");
    }

    [Fact]
    public void Joining_refuses_two_models_of_one_task_and_models_of_different_widths()
    {
        using var a = TinyModels.Authors(AffectTask.ValenceArousal);
        using var b = TinyModels.Authors(AffectTask.ValenceArousal);
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.Heads.Tasks = AffectTask.Expression;
        using var ours = new AffectSequenceModel(options);                      // 16-d features
        using var everyTask = TinyModels.Ours(5);

        FluentActions.Invoking(() => new PerTaskTemporalModel([a, b])).Should().Throw<ArgumentException>().WithMessage("Two models predict ValenceArousal*");
        FluentActions.Invoking(() => new PerTaskTemporalModel([a, ours])).Should().Throw<ArgumentException>().WithMessage("The models read features of 24 and 16 values a frame*");
        FluentActions.Invoking(() => new PerTaskTemporalModel([everyTask])).Should().Throw<ArgumentException>().WithMessage("*predicts All; each model*predicts exactly one task*");
        FluentActions.Invoking(() => new PerTaskTemporalModel([])).Should().Throw<ArgumentException>();
    }
}
