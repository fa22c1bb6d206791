// A shortened demo end to end: tiny synthetic videos, tiny models, one or two epochs a stage.
using AffectMae.Cli.Pipeline;
using AffectMae.Cli.Synthetic;
using AffectMae.Models.Mae;
using AffectMae.Models.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

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

    private static PipelineSettings Tiny(int seed) => PipelineSettings.Demo(seed) with
    {
        ImageSize = 32,
        Mae = new MaeViTOptions { ImageSize = 32, PatchSize = 8, EmbedDim = 32, Depth = 1, NumHeads = 2, DecoderEmbedDim = 16, DecoderDepth = 1, DecoderNumHeads = 2 },
        Pretraining = new OptimizationOptions { LearningRate = 2e-3, Epochs = 1, WarmupEpochs = 0, BatchSize = 32, Seed = seed },
        FineTuning = new OptimizationOptions { LearningRate = 2e-3, Epochs = 1, WarmupEpochs = 0, BatchSize = 32, Seed = seed },
        Temporal = new OptimizationOptions { LearningRate = 3e-3, Epochs = 4, WarmupEpochs = 1, BatchSize = 4, Seed = seed },
        PretrainFrameStride = 2,
        FinetuneFrameStride = 2,
        WindowLength = 20,
        Stride = 10,
        TemporalWidth = 16,
    };

    private static SyntheticOptions TinyVideos(int seed) => new() { Videos = 6, MinFrames = 50, MaxFrames = 70, Size = 32, Seed = seed };

    [Fact]
    public void A_shortened_demo_writes_its_plots_predictions_and_summary_and_scores_every_task()
    {
        string data = folder.Sub("data");
        var workspace = new Workspace(folder.Sub("work"));

        var report = new DemoRunner(console, CPU).Run(data, workspace, Tiny(1), ablations: false, TinyVideos(1), CancellationToken.None);

        report.Temporal.Keys.Should().BeEquivalentTo("constant / majority baseline", "frame-only", "full");
        var full = report.Temporal["full"];
        new[] { full.ValenceArousal, full.Expression, full.ActionUnits }.Should().OnlyContain(s => s >= -1 && s <= 1);
        report.Temporal["constant / majority baseline"].ValenceArousal.Should().Be(0, "a constant prediction has CCC 0");
        report.Stages.Select(s => s.Stage).Should().Equal("MAE pre-training", "Expression fine-tuning");
        foreach (var file in report.Files) File.Exists(file).Should().BeTrue(file);
        report.Files.Select(Path.GetFileName).Should().Contain(["va.txt", "expr.txt", "au.txt", "curve-mae-pre-training.png", "curve-temporal-model.png"]);
        File.ReadLines(Path.Combine(workspace.Predictions, "va.txt")).First().Should().Be("image_location,valence,arousal");
        DemoReport.Load(workspace.Summary).Temporal["full"].Should().Be(full);
        output.ToString().Should().Contain("P_VA").And.Contain("frame-only heads");
    }

    [Fact]
    public void The_same_seed_gives_the_same_numbers()
    {
        var first = new DemoRunner(console, CPU).Run(folder.Sub("data1"), new Workspace(folder.Sub("work1")), Tiny(2), false, TinyVideos(2), CancellationToken.None);
        var second = new DemoRunner(console, CPU).Run(folder.Sub("data2"), new Workspace(folder.Sub("work2")), Tiny(2), false, TinyVideos(2), CancellationToken.None);

        second.Temporal.Should().BeEquivalentTo(first.Temporal);
        second.Stages.Should().BeEquivalentTo(first.Stages);
    }
}
