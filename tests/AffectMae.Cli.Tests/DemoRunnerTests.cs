// A shortened demo end to end: tiny synthetic videos, tiny models, one or two epochs a stage.
using AffectMae.Cli.Reporting;
using AffectMae.Cli.Synthetic;
using AffectMae.Models.Pipeline;
using Spectre.Console;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

[Collection(GlobalRngCollection.Name)]
public sealed class DemoRunnerTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly StringWriter output = new();
    private readonly IAnsiConsole console;

    public DemoRunnerTests()
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
    }

    public void Dispose()
    {
        output.Dispose();
        folder.Dispose();
    }

    private static SyntheticOptions TinyVideos(int seed) => new() { Videos = 6, MinFrames = 50, MaxFrames = 70, Size = 32, Seed = seed };

    [Fact]
    public void A_shortened_demo_writes_its_plots_predictions_and_summary_and_scores_every_task()
    {
        string data = folder.Sub("data");
        var run = new RunFolder(folder.Sub("work"));

        var report = new DemoRunner(console, new AffectMaePipeline(TinyRecipe.Create(1), run, CPU)).Run(data, ablations: false, TinyVideos(1), CancellationToken.None);

        report.Temporal.Keys.Should().BeEquivalentTo("constant / majority baseline", "frame-only", "full");
        var full = report.Temporal["full"];
        new[] { full.ValenceArousal, full.Expression, full.ActionUnits }.Should().OnlyContain(s => s >= -1 && s <= 1);
        report.Temporal["constant / majority baseline"].ValenceArousal.Should().Be(0, "a constant prediction has CCC 0");
        report.Stages.Select(s => s.Stage).Should().Equal("MAE pre-training", "Expression fine-tuning");
        foreach (var file in report.Files) File.Exists(file).Should().BeTrue(file);
        report.Files.Select(Path.GetFileName).Should().Contain(["va.txt", "expr.txt", "au.txt", "curve-mae-pre-training.png", "curve-temporal-model.png", "epochs-temporal-model.png"]);
        File.ReadLines(Path.Combine(run.Predictions, "va.txt")).First().Should().Be("image_location,valence,arousal");
        DemoReport.Load(run.Summary).Temporal["full"].Should().Be(full);
        output.ToString().Should().Contain("P_VA").And.Contain("frame-only heads");
    }

    [Fact]
    public void The_same_seed_gives_the_same_numbers()
    {
        var first = new DemoRunner(console, new AffectMaePipeline(TinyRecipe.Create(2), new RunFolder(folder.Sub("work1")), CPU)).Run(folder.Sub("data1"), false, TinyVideos(2), CancellationToken.None);
        var second = new DemoRunner(console, new AffectMaePipeline(TinyRecipe.Create(2), new RunFolder(folder.Sub("work2")), CPU)).Run(folder.Sub("data2"), false, TinyVideos(2), CancellationToken.None);

        second.Temporal.Should().BeEquivalentTo(first.Temporal);
        second.Stages.Should().BeEquivalentTo(first.Stages);
    }
}
