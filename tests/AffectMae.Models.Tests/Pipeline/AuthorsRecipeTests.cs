using System.Text.Json;
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Losses;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Tests.Pipeline;

// The authors' released recipe (upczww/abaw6) as a preset, and the recipe's choice of temporal model.
public sealed class AuthorsRecipeTests : IDisposable
{
    private readonly ScratchFolder folder = new("affectmae-authors-recipe-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_authors_preset_holds_their_released_model_training_and_inference()
    {
        var recipe = AffectMaeRecipe.Preset("authors");
        var authors = recipe.AuthorsTemporal;

        AffectMaeRecipe.PresetNames.Should().Contain("authors");
        (recipe.Name, recipe.TemporalModel).Should().Be(("authors", TemporalModelKind.AuthorsTemporalModel));
        recipe.Mae.Should().BeEquivalentTo(AffectMaeRecipe.Paper.Mae, "the paper's encoder stages");
        authors.Tasks.Should().Be(AffectTask.All);
        foreach (var task in AffectTasks.Each)
        {
            Json(authors.ModelFor(task)).Should().Be(Json(AuthorsTemporalModelOptions.Released(task)), "{0}: their sizes (20.5 M parameters)", task);
            Json(authors.Optimization[task]).Should().Be(Json(OptimizationOptions.AuthorsTemporal(task)));
        }
        authors.Optimization.Stages().Select(o => o.Epochs).Should().Equal(40, 10, 30);
        var va = authors.Optimization.ValenceArousal;
        (va.LearningRate, va.WeightDecay, va.BatchSize, va.DecayEveryParameter, va.Schedule, va.WarmupEpochs, va.WarmupStartLearningRate)
            .Should().Be((3e-5, 1e-5, 32, true, LearningRateScheduleKind.WarmRestarts, 2.0, 1e-8));
        (authors.Segmentation.WindowLength, authors.Segmentation.Stride, authors.Segmentation.Tail).Should().Be((300, 200, WindowTail.Drop));
        (authors.CccForm, authors.CccReduction, authors.DropLast).Should().Be((CccForm.Released, CccReduction.Sum, true));
        new[] { authors.Tcn.Dropout, authors.Transformer.Dropout }.Should().OnlyContain(d => d == 0, "dropout 0.0 in the released configs");
        authors.Inference.Should().BeEquivalentTo(InferenceOptions.Released);
        (authors.Inference.Protocol, authors.Inference.ExpressionModeFilter, authors.Inference.ActionUnitRule).Should().Be((InferenceProtocol.NonOverlapping, 40, ThresholdRule.Above));
    }

    [Fact]
    public void The_demo_s_authors_section_fits_its_features_and_windows_with_their_protocol()
    {
        var demo = AffectMaeRecipe.Demo;

        demo.TemporalModel.Should().Be(TemporalModelKind.AffectSequenceModel, "the demo trains ours; the authors' model is its extra row");
        demo.AuthorsTemporal.Tcn.InputDim.Should().Be(demo.Mae.EmbedDim);
        (demo.AuthorsTemporal.Segmentation.WindowLength, demo.AuthorsTemporal.Segmentation.Tail).Should().Be((demo.Segmentation.WindowLength, WindowTail.Drop));
        demo.AuthorsTemporal.Optimization.Stages().Should().OnlyContain(o => o.Schedule == LearningRateScheduleKind.WarmRestarts && o.DecayEveryParameter);
        demo.AuthorsTemporal.Optimization.Stages().Select(o => o.Epochs).Should().Equal(40, 10, 30);
        demo.AuthorsTemporal.Inference.Protocol.Should().Be(InferenceProtocol.NonOverlapping);
        using var model = new AuthorsTemporalModel(demo.AuthorsTemporal.ModelFor(AffectTask.ActionUnits));
        model.InputDim.Should().Be(96);
    }

    [Fact]
    public void Which_model_a_variant_trains_and_how_it_predicts_follow_the_variant_then_the_recipe()
    {
        var paper = AffectMaeRecipe.Paper;
        var authors = AffectMaeRecipe.Authors;

        paper.TemporalModelOf(TemporalVariant.Full).Should().Be(TemporalModelKind.AffectSequenceModel);
        authors.TemporalModelOf(TemporalVariant.Full).Should().Be(TemporalModelKind.AuthorsTemporalModel);
        authors.TemporalModelOf(TemporalVariant.Named("no-finetuning")).Should().Be(TemporalModelKind.AuthorsTemporalModel, "Table 5's row of the recipe's model");
        paper.TemporalModelOf(TemporalVariant.Authors).Should().Be(TemporalModelKind.AuthorsTemporalModel);
        authors.TemporalModelOf(TemporalVariant.FrameOnly).Should().Be(TemporalModelKind.AffectSequenceModel);
        authors.TemporalModelOf(TemporalVariant.Named("no-tcn")).Should().Be(TemporalModelKind.AffectSequenceModel, "a switch of ours");
        paper.InferenceOf(TemporalVariant.Full).Protocol.Should().Be(InferenceProtocol.OverlapAverage);
        paper.InferenceOf(TemporalVariant.Authors).Protocol.Should().Be(InferenceProtocol.NonOverlapping);
        TemporalVariant.Named("authors").Should().Be(TemporalVariant.Authors);
    }

    [Fact]
    public void The_authors_recipe_saved_as_json_loads_back_equal_with_the_seed_in_every_block()
    {
        var recipe = AffectMaeRecipe.Authors.WithSeed(7);
        string path = Path.Combine(folder.Path, "authors.json");

        recipe.Save(path);
        var loaded = AffectMaeRecipe.Load(path);

        loaded.ToJson().ToJsonString().Should().Be(recipe.ToJson().ToJsonString());
        loaded.OptimizationStages().Select(s => s.Seed).Should().Equal(7, 7, 7, 7, 7, 7);
        File.ReadAllText(path).Should().NotContain("\"Seed\": 0").And.Contain("\"TemporalModel\": \"AuthorsTemporalModel\"");
    }

    [Fact]
    public void A_file_changes_the_authors_settings_by_name_over_its_preset()
    {
        string path = Path.Combine(folder.Path, "mine.json");
        File.WriteAllText(path, """
            { "Preset": "paper", "Name": "theirs-on-two-tasks", "Seed": 2, "TemporalModel": "AuthorsTemporalModel",
              "AuthorsTemporal": { "Tasks": "Expression, ActionUnits", "Optimization": { "Expression": { "Epochs": 5 } },
                                   "Inference": { "ExpressionModeFilter": 20 } } }
            """);

        var recipe = AffectMaeRecipe.Load(path);

        recipe.TemporalModel.Should().Be(TemporalModelKind.AuthorsTemporalModel);
        recipe.AuthorsTemporal.Tasks.Should().Be(AffectTask.Expression | AffectTask.ActionUnits);
        recipe.AuthorsTemporal.Optimization.Stages().Select(o => o.Epochs).Should().Equal(40, 5, 30);
        (recipe.AuthorsTemporal.Inference.ExpressionModeFilter, recipe.AuthorsTemporal.Inference.Protocol).Should().Be((20, InferenceProtocol.NonOverlapping));
        recipe.OptimizationStages().Should().OnlyContain(s => s.Seed == 2);
    }

    [Fact]
    public void Configuration_binds_the_authors_settings_with_the_same_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AffectMae:Recipe:Preset"] = "authors",
            ["AffectMae:Recipe:Seed"] = "5",
            ["AffectMae:Recipe:AuthorsTemporal:Tasks"] = "ValenceArousal",
            ["AffectMae:Recipe:AuthorsTemporal:Optimization:ValenceArousal:Epochs"] = "12",
            ["AffectMae:Recipe:AuthorsTemporal:Segmentation:Stride"] = "150",
            ["AffectMae:Recipe:AuthorsTemporal:DropLast"] = "false",
            ["AffectMae:Recipe:AuthorsTemporal:Inference:ActionUnitRule"] = "AtOrAbove",
        }).Build();

        var recipe = AffectMaeRecipe.FromConfiguration(configuration.GetSection("AffectMae:Recipe"));
        using var provider = new ServiceCollection().AddAffectMae(configuration).BuildServiceProvider();
        var registered = provider.GetRequiredService<IOptions<AuthorsTemporalOptions>>().Value;

        (recipe.AuthorsTemporal.Tasks, recipe.AuthorsTemporal.Optimization.ValenceArousal.Epochs, recipe.AuthorsTemporal.Segmentation.Stride, recipe.AuthorsTemporal.DropLast)
            .Should().Be((AffectTask.ValenceArousal, 12, 150, false));
        recipe.AuthorsTemporal.Inference.ActionUnitRule.Should().Be(ThresholdRule.AtOrAbove);
        recipe.OptimizationStages().Should().OnlyContain(s => s.Seed == 5);
        Json(registered).Should().Be(Json(recipe.AuthorsTemporal), "AddAffectMae registers the section read from the recipe");
    }

    [Theory]
    [InlineData("""{ "Preset": "authors", "AuthorsTemporal": { "Tcn": { "InputDim": 512 } } }""", "Recipe.AuthorsTemporal.Tcn.InputDim is 512 but the encoder's features are Recipe.Mae.EmbedDim = 768 wide: set AuthorsTemporal.Tcn.InputDim to 768")]
    [InlineData("""{ "AuthorsTemporal": { "Tasks": "None" } }""", "Recipe.AuthorsTemporal: AuthorsTemporalOptions.Tasks is None")]
    [InlineData("""{ "AuthorsTemporal": { "Transformer": { "InputDim": 64 } } }""", "Recipe.AuthorsTemporal: AuthorsTemporalOptions: Transformer.InputDim is 64 but the TCN's last block outputs 128 channels")]
    [InlineData("""{ "AuthorsTemporal": { "Optimization": { "ActionUnits": { "WarmupEpochs": 50 } } } }""", "Recipe.AuthorsTemporal: AuthorsTemporalOptions.Optimization.ActionUnits: OptimizationOptions.WarmupEpochs (50) exceeds Epochs (30)")]
    [InlineData("""{ "Seed": 1, "AuthorsTemporal": { "Optimization": { "Expression": { "Seed": 2 } } } }""", "Recipe.AuthorsTemporal.Optimization.Expression.Seed is 2 but Recipe.Seed is 1")]
    [InlineData("""{ "AuthorsTemporal": { "Inference": { "ExpressionModeFilter": -4 } } }""", "Recipe.AuthorsTemporal: AuthorsTemporalOptions.Inference: InferenceOptions.ExpressionModeFilter must be at least 0")]
    [InlineData("""{ "TemporalModel": "Theirs" }""", "$.TemporalModel")]
    [InlineData("""{ "TemporalModel": 7 }""", "Recipe.TemporalModel must be AffectSequenceModel (ours) or AuthorsTemporalModel")]
    public void A_bad_authors_setting_is_refused_naming_it(string json, string expected)
    {
        string path = Path.Combine(folder.Path, "bad.json");
        File.WriteAllText(path, json);

        var load = () => AffectMaeRecipe.Load(path);

        load.Should().Throw<InvalidDataException>().Which.Message.Should().StartWith(path).And.Contain(expected);
    }

    [Fact]
    public void A_run_folder_takes_another_inference_for_the_authors_model_but_not_another_temporal_model()
    {
        var run = new RunFolder(folder.Path);
        run.UseRecipe(AffectMaeRecipe.Paper);
        var otherInference = AffectMaeRecipe.Paper;
        otherInference.AuthorsTemporal.Inference.ExpressionModeFilter = 0;

        run.Invoking(r => r.UseRecipe(otherInference)).Should().NotThrow();
        run.Invoking(r => r.UseRecipe(AffectMaeRecipe.Authors)).Should().Throw<InvalidOperationException>()
            .WithMessage("*TemporalModel (\"AffectSequenceModel\" → \"AuthorsTemporalModel\")*");
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });
}
