// The authors' released model through the library's pipeline, end to end on tiny synthetic videos: one model a task,
// trained with their windows, loader, schedule and losses, saved as one bundle, evaluated and predicted with their protocol.
using AffectMae.Cli.Reporting;
using AffectMae.Cli.Synthetic;
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using Spectre.Console;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

public sealed class AuthorsPipelineTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_recipe_of_the_authors_model_trains_one_model_a_task_into_one_bundle_that_evaluates_and_predicts_by_their_protocol()
    {
        string dataRoot = folder.Sub("data");
        SyntheticDataset.Generate(dataRoot, new SyntheticOptions { Videos = 6, MinFrames = 50, MaxFrames = 70, Size = 32, Seed = 5 });
        var data = new AbawDataset(dataRoot);
        var recipe = TinyRecipe.Create(5);
        recipe.TemporalModel = TemporalModelKind.AuthorsTemporalModel;
        recipe.AuthorsTemporal.Inference.ExpressionModeFilter = 6;
        var run = new RunFolder(folder.Sub("work"));
        var pipeline = new AffectMaePipeline(recipe, run, CPU);
        pipeline.Pretrain(data);
        pipeline.FineTune(data);
        pipeline.Extract(data, EncoderKind.FineTuned, Shard.All);

        var trained = pipeline.TrainTemporal(data, TemporalVariant.Full);
        var evaluated = pipeline.Evaluate(data, TemporalVariant.Full);

        // One model a task, each for its own epochs; every step a full batch of whole windows: per epoch
        // ⌊(Σ over training videos of ⌊(n − 20)/10⌋ + 1) / 4⌋ steps (windows of 20, stride 10, tail and last short batch dropped).
        int windows = data.Train.Sum(v => v.FrameCount < 20 ? 0 : (v.FrameCount - 20) / 10 + 1);
        trained.Training.Should().BeNull();
        trained.TaskTraining!.Keys.Should().Equal(AffectTask.ValenceArousal, AffectTask.Expression, AffectTask.ActionUnits);
        trained.TaskTraining.Values.Should().OnlyContain(s => s.Epoch == 2 && s.GlobalStep == 2 * (windows / 4) && s.BestEpoch != null);
        foreach (var task in AffectTasks.Each)
            Directory.Exists(Path.Combine(run.TemporalCheckpoints(TemporalVariant.Full, task), "best")).Should().BeTrue();
        using (var bundle = TemporalBundle.Load(run.TemporalModel(TemporalVariant.Full)))
        {
            bundle.ModelKind.Should().Be(TemporalModelKind.AuthorsTemporalModel);
            bundle.Model.Tasks.Should().Be(AffectTask.All);
            bundle.Inference.Should().BeEquivalentTo(recipe.AuthorsTemporal.Inference);
            bundle.Manifest.Temporal!.TrainingByTask!.Keys.Should().HaveCount(3);
            (bundle.Segmenter.WindowLength, bundle.Segmenter.Tail).Should().Be((20, WindowTail.Drop));
        }

        // Evaluating the bundle gives the numbers training reported, bit for bit; the scores are real CCC and F1 values.
        evaluated.Predictions.Should().HaveCount(trained.Predictions.Count);
        for (int v = 0; v < trained.Predictions.Count; v++)
        {
            evaluated.Predictions[v].ValenceArousal.Should().Equal(trained.Predictions[v].ValenceArousal);
            evaluated.Predictions[v].ExpressionClasses().Should().Equal(trained.Predictions[v].ExpressionClasses());
            evaluated.Predictions[v].ActionUnits().Should().Equal(trained.Predictions[v].ActionUnits());
            evaluated.Predictions[v].ExpressionModeFilter.Should().Be(6);
            evaluated.Predictions[v].ActionUnitRule.Should().Be(ThresholdRule.Above);
        }
        new[] { evaluated.Scores.ValenceArousal!.Score, evaluated.Scores.Expression!.Score, evaluated.Scores.ActionUnits!.Score }.Should().OnlyContain(s => s >= -1 && s <= 1);

        // Predicting a validation video's frames runs the same model on the same features: the same classes as evaluation.
        var video = data.Validation[0];
        var rows = pipeline.Predict(Path.Combine(dataRoot, AbawLayout.FramesFolderName, video.Video), TemporalVariant.Full).Frames;
        rows.Should().HaveCount(video.FrameCount);
        rows.Select(r => r.Expression).Should().Equal(evaluated.Predictions[0].ExpressionClasses()!);
    }

    [Fact]
    public void The_demo_table_has_the_authors_row_next_to_ours()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = 200;
        var report = new DemoReport();
        report.Temporal["full"] = new TaskScores(0.5, 0.4, 0.3);
        report.Temporal["authors"] = new TaskScores(0.25, 0.125, 0.0724);

        DemoTables.Write(console, report, ablations: true);

        output.ToString().Should().Contain("authors' released model").And.Contain("0.250").And.Contain("0.125").And.Contain("0.072");
        TemporalVariant.Named("authors").Model.Should().Be(TemporalModelKind.AuthorsTemporalModel);
    }
}
