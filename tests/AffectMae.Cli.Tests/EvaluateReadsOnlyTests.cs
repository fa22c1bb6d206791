// Evaluating never trains: after an interrupted `train`, evaluate reads and leaves the checkpoints as they were.
using AffectMae.Models.Evaluation;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

public sealed class EvaluateReadsOnlyTests
{
    [Fact]
    public void Evaluate_after_an_interrupted_train_leaves_last_byte_identical_and_says_where_training_stands()
    {
        using var run = new TinyRun(adjust: r => r.Optimization.Temporal.Epochs = 6);
        run.Extract();
        using var stop = new CancellationTokenSource();
        var train = () => run.Pipeline.TrainTemporal(run.Dataset, TemporalVariant.Full,
            new SyncProgress<TrainingProgress>(p => { if (p.Epoch >= 2) stop.Cancel(); }), stop.Token);
        train.Should().Throw<OperationCanceledException>();
        string checkpoints = run.Run.TemporalCheckpoints(TemporalVariant.Full);
        string last = Path.Combine(checkpoints, "last");
        TrainingCheckpoint.Exists(last).Should().BeTrue("the interrupted run saved where it stood");
        var before = TinyRun.Snapshot(checkpoints);

        // No bundle yet: evaluate refuses, naming the interrupted training, and resumes nothing.
        var evaluate = () => run.Pipeline.Evaluate(run.Dataset, TemporalVariant.Full);
        evaluate.Should().Throw<FileNotFoundException>().WithMessage($"*its training stopped at epoch * of 6 ({last}); train it again to resume and finish*");
        TinyRun.Snapshot(checkpoints).Should().BeEquivalentTo(before, "evaluate only reads");

        // With a bundle given, it scores it, and still writes nothing into the run's checkpoints.
        string bundle = run.Sub("bundle");
        using (var model = new AffectSequenceModel(run.Recipe.SequenceModelFor(TemporalVariant.Full)))
            TemporalBundle.Save(bundle, model, run.Recipe.Segmentation, run.Recipe.Name, ModelManifest.Read(run.Run.EncoderModel(EncoderKind.FineTuned)).WeightsSha256);
        var reports = new List<EvaluationProgress>();
        var result = run.Pipeline.Evaluate(run.Dataset, TemporalVariant.Full, bundle, new SyncProgress<EvaluationProgress>(reports.Add));
        reports.Should().NotBeEmpty().And.BeInAscendingOrder(p => p.WindowsDone);
        reports[^1].WindowsDone.Should().Be(reports[^1].WindowCount, "the last report says every window is done");
        result.Training.Should().BeNull("nothing was trained");
        result.Scores.Should().NotBeNull();
        TinyRun.Snapshot(checkpoints).Should().BeEquivalentTo(before, "evaluate only reads");
        Directory.Exists(run.Run.TemporalModel(TemporalVariant.Full)).Should().BeFalse("evaluating makes no bundle");
    }
}
