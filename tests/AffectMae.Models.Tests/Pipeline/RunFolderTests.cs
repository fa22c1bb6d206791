using AffectMae.Models.Pipeline;

namespace AffectMae.Models.Tests.Pipeline;

public sealed class RunFolderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-run-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_first_stage_records_the_recipe_and_a_later_one_with_other_settings_is_refused_naming_them()
    {
        var run = new RunFolder(folder);
        run.UseRecipe(AffectMaeRecipe.Demo);
        var changed = AffectMaeRecipe.Demo.WithSeed(4);
        changed.Segmentation.Stride = 50;

        var use = () => run.UseRecipe(changed);

        File.Exists(run.RecipeFile).Should().BeTrue();
        use.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("Seed (0 → 4)").And.Contain("Segmentation.Stride (25 → 50)").And.Contain("Use another run folder");
    }

    [Fact]
    public void Another_name_or_inference_batch_is_the_same_run()
    {
        var run = new RunFolder(folder);
        run.UseRecipe(AffectMaeRecipe.Demo);
        var renamed = AffectMaeRecipe.Demo;
        renamed.Name = "demo-on-a-gpu";
        renamed.Inference.EncoderBatchSize = 512;

        var use = () => run.UseRecipe(renamed);

        use.Should().NotThrow();
    }

    [Fact]
    public void Checking_a_recipe_writes_nothing_and_refuses_other_settings_as_using_it_does()
    {
        var run = new RunFolder(folder);
        run.CheckRecipe(AffectMaeRecipe.Paper);
        File.Exists(run.RecipeFile).Should().BeFalse("a check only reads");

        run.UseRecipe(AffectMaeRecipe.Demo);
        var check = () => run.CheckRecipe(AffectMaeRecipe.Paper);

        check.Should().Throw<InvalidOperationException>().WithMessage("*was made with recipe 'demo'*this call's recipe 'paper' differs in *");
        run.CheckRecipe(AffectMaeRecipe.Demo);
    }

    [Fact]
    public void Every_path_of_a_run_lies_under_its_folder_and_differs()
    {
        var run = new RunFolder(folder);
        string[] paths =
        [
            run.RecipeFile, run.PretrainCheckpoints, run.FineTuneCheckpoints, run.EncoderModel(EncoderKind.Pretrained), run.EncoderModel(EncoderKind.FineTuned),
            run.Features(EncoderKind.Pretrained), run.Features(EncoderKind.FineTuned), .. TemporalVariant.All.SelectMany(v => new[] { run.TemporalCheckpoints(v), run.TemporalModel(v) }),
            run.Plots, run.Predictions, run.Summary,
        ];

        paths.Should().OnlyHaveUniqueItems().And.OnlyContain(p => p.StartsWith(run.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
