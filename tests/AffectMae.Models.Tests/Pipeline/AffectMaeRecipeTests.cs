using AffectMae.Models.Runtime;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using Microsoft.Extensions.Configuration;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Pipeline;

public sealed class AffectMaeRecipeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-recipe-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("demo")]
    [InlineData("paper")]
    [InlineData("authors")]
    public void Every_preset_is_valid_and_builds_its_models(string name)
    {
        var recipe = AffectMaeRecipe.Preset(name);

        new AffectMaeRecipeValidator().Validate(null, recipe).Succeeded.Should().BeTrue();
        using var mae = new MaeViT(recipe.Mae);
        using var classifier = new MaeClassifier(recipe.ClassifierOptions());
        foreach (var variant in TemporalVariant.All)
        {
            using TemporalAffectModel temporal = recipe.TemporalModelOf(variant) == TemporalModelKind.AuthorsTemporalModel
                ? new AuthorsTemporalModel(recipe.AuthorsTemporal.ModelFor(Core.Data.AffectTask.Expression))
                : new AffectSequenceModel(recipe.SequenceModelFor(variant));
            temporal.InputDim.Should().Be(classifier.FeatureDim, "the temporal model reads the encoder's features");
        }
        recipe.EvalTransform().Side.Should().Be(recipe.Mae.ImageSize);
    }

    [Fact]
    public void The_paper_preset_holds_the_papers_numbers()
    {
        var paper = AffectMaeRecipe.Paper;

        (paper.Mae.ImageSize, paper.Mae.PatchSize, paper.Mae.EmbedDim, paper.Mae.Depth, paper.Mae.MaskRatio).Should().Be((224, 16, 768, 12, 0.75));
        (paper.Segmentation.WindowLength, paper.Segmentation.Stride).Should().Be((300, 200));
        (paper.Optimization.Pretraining.LearningRate, paper.Optimization.FineTuning.LearningRate, paper.Optimization.Temporal.LearningRate).Should().Be((5e-4, 1e-4, 3e-5));
        (paper.Optimization.Temporal.BatchSize, paper.Optimization.Temporal.WarmupEpochs, paper.Optimization.Temporal.WeightDecay).Should().Be((32, 1.0, 1e-5));
        new[] { paper.SequenceModel.Tcn.Dropout, paper.SequenceModel.Transformer.Dropout, paper.SequenceModel.Heads.Dropout }.Should().OnlyContain(d => d == 0.3);
    }

    [Fact]
    public void A_recipe_saved_as_json_loads_back_equal_and_its_seed_reaches_every_stage()
    {
        var recipe = AffectMaeRecipe.Demo.WithSeed(7);
        string path = Path.Combine(folder, "recipe.json");

        recipe.Save(path);
        var loaded = AffectMaeRecipe.Load(path);

        loaded.ToJson().ToJsonString().Should().Be(recipe.ToJson().ToJsonString());
        loaded.Optimization.Stages().Select(s => s.Seed).Should().Equal(7, 7, 7);
        File.ReadAllText(path).Should().NotContain("\"Seed\": 0", "the stages' seeds are the recipe's and are not written twice");
    }

    [Fact]
    public void A_file_holding_only_changes_is_laid_over_its_preset()
    {
        string path = Path.Combine(folder, "small.json");
        File.WriteAllText(path, """
            { "Preset": "demo", "Name": "mine", "Seed": 3,
              "Mae": { "Depth": 2 },
              "SequenceModel": { "Tcn": { "Channels": [64] } },
              "Optimization": { "Temporal": { "Epochs": 5 } } }
            """);

        var recipe = AffectMaeRecipe.Load(path);

        (recipe.Name, recipe.Mae.Depth, recipe.Mae.EmbedDim, recipe.Optimization.Temporal.Epochs).Should().Be(("mine", 2, 96, 5));
        recipe.SequenceModel.Tcn.Channels.Should().Equal([64], "a list replaces the preset's list");
        recipe.Optimization.Temporal.LearningRate.Should().Be(5e-4, "settings not named keep the demo's values");
        recipe.Optimization.Stages().Select(s => s.Seed).Should().Equal(3, 3, 3);
    }

    [Fact]
    public void Configuration_binds_a_preset_and_overrides_with_the_same_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recipe:Preset"] = "demo",
            ["Recipe:Mae:Depth"] = "3",
            ["Recipe:SequenceModel:Tcn:Channels:0"] = "64",
            ["Recipe:SequenceModel:Tcn:Channels:1"] = "64",
            ["Recipe:SequenceModel:Tcn:Channels:2"] = "64",
            ["Recipe:Optimization:Temporal:LearningRate"] = "0.001",
            ["Recipe:SequenceModel:UseTransformer"] = "false",
        }).Build();

        var recipe = AffectMaeRecipe.FromConfiguration(configuration.GetSection("Recipe"));

        (recipe.Mae.Depth, recipe.Optimization.Temporal.LearningRate, recipe.SequenceModel.UseTransformer).Should().Be((3, 1e-3, false));
        recipe.SequenceModel.Tcn.Channels.Should().Equal(64, 64, 64);
    }

    [Fact]
    public void The_inference_precision_is_a_recipe_setting_in_json_and_configuration()
    {
        string path = Path.Combine(folder, "bf16.json");
        File.WriteAllText(path, """{ "Preset": "demo", "Inference": { "Precision": "BFloat16" } }""");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recipe:Preset"] = "paper",
            ["Recipe:Inference:Precision"] = "auto",
        }).Build();

        var fromFile = AffectMaeRecipe.Load(path);
        var bound = AffectMaeRecipe.FromConfiguration(configuration.GetSection("Recipe"));

        AffectMaeRecipe.Paper.Inference.Precision.Should().Be(InferencePrecision.Float32, "float32 is the default");
        fromFile.Inference.Precision.Should().Be(InferencePrecision.BFloat16);
        fromFile.Inference.EncoderBatchSize.Should().Be(128, "settings not named keep the demo's values");
        bound.Inference.Precision.Should().Be(InferencePrecision.Auto);
        fromFile.Save(path);
        AffectMaeRecipe.Load(path).Inference.Precision.Should().Be(InferencePrecision.BFloat16, "it survives a save");
    }

    [Theory]
    [InlineData("""{ "Inference": { "Precision": "half" } }""", "$.Inference.Precision")]
    [InlineData("""{ "Mae": { "Dept": 2 } }""", "'Mae.Dept' is not a recipe setting")]
    [InlineData("""{ "Mae": { "Depth": "two" } }""", "$.Mae.Depth")]
    [InlineData("""{ "Preset": "tiny" }""", "no recipe preset 'tiny'")]
    [InlineData("""{ "Segmentation": { "WindowLength": 100, "Stride": 150 } }""", "Recipe.Segmentation: SegmentationOptions.Stride (150) must not exceed WindowLength (100)")]
    [InlineData("""{ "Preset": "demo", "Mae": { "EmbedDim": 128 } }""", "Recipe.SequenceModel.InputDim is 96 but the encoder's features are Recipe.Mae.EmbedDim = 128 wide")]
    [InlineData("""{ "Seed": 1, "Optimization": { "Temporal": { "Seed": 2 } } }""", "Recipe.Optimization.Temporal.Seed is 2 but Recipe.Seed is 1")]
    [InlineData("""[1, 2]""", "must hold a JSON object of recipe settings")]
    [InlineData("""{ "Preset": "demo", "Mae": { "Depth": 2, "depth": 3 } }""", "'Mae.depth' is set twice (keys are matched without regard to case); keep one.")]
    [InlineData("""{ "Seed": 1, "Seed": 2 }""", "'Seed' is set twice")]
    [InlineData("""{ "FaceCrop": { "OutputSize": 8 } }""", "Recipe.FaceCrop: FaceCropOptions.OutputSize must lie in [16, 2048] pixels")]
    public void A_bad_recipe_names_the_file_and_the_setting(string json, string expected)
    {
        string path = Path.Combine(folder, "bad.json");
        File.WriteAllText(path, json);

        var load = () => AffectMaeRecipe.Load(path);

        load.Should().Throw<InvalidDataException>().Which.Message.Should().StartWith(path).And.Contain(expected);
    }

    [Fact]
    public void A_model_built_from_a_recipe_keeps_its_settings_when_the_recipe_changes_later()
    {
        var recipe = AffectMaeRecipe.Demo;
        using var model = new AffectSequenceModel(recipe.SequenceModel);

        recipe.SequenceModel.Tcn.Channels = [8, 8];
        recipe.SequenceModel.Heads.HiddenDim = 3;

        model.Options.Tcn.Channels.Should().Equal(64, 64);
        model.Options.Heads.HiddenDim.Should().Be(64);
    }
}
