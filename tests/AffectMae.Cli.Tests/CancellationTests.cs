// Ctrl+C for real: a child process of the CLI gets SIGINT from kill(1) while it trains.
using AffectMae.Models.Training;

namespace AffectMae.Cli.Tests;

public sealed class CancellationTests
{
    private const int Epochs = 30;

    [Fact]
    public async Task Sigint_during_pretrain_saves_last_exits_130_and_a_second_run_resumes_and_finishes()
    {
        if (OperatingSystem.IsWindows()) return;   // kill(1) and SIGINT are Unix
        using var run = new TinyRun(adjust: r => r.Optimization.Pretraining.Epochs = Epochs);
        string last = new CheckpointPolicy { Folder = run.Run.PretrainCheckpoints }.Last;
        string state = Path.Combine(last, "state.json");

        DateTime signalled;
        using (var first = CliProcess.Start(["pretrain", .. run.Common]))
        {
            // The trainer's first report on disk: last/ after the first epoch. Then Ctrl+C.
            SpinWait.SpinUntil(() => File.Exists(state), TimeSpan.FromMinutes(2)).Should().BeTrue($"pretraining saves last/ after an epoch; output: {first.Output}");
            signalled = DateTime.UtcNow;
            first.Signal("INT");

            (await first.ExitCodeAsync(TimeSpan.FromMinutes(2))).Should().Be(ExitCodes.Cancelled, first.Output);
            first.Output.Should().Contain("Cancelled; run again to resume");
        }
        var interrupted = TrainingCheckpoint.ReadState(last);
        interrupted.Epoch.Should().BeInRange(1, Epochs - 1, "the run stopped part way");
        File.GetLastWriteTimeUtc(state).Should().BeOnOrAfter(signalled.AddSeconds(-1), "the stage saved last/ on the way out");
        Directory.Exists(run.Run.EncoderModel(Models.Pipeline.EncoderKind.Pretrained)).Should().BeFalse("no model before training ends");

        using var second = CliProcess.Start(["pretrain", .. run.Common]);
        (await second.ExitCodeAsync(TimeSpan.FromMinutes(3))).Should().Be(ExitCodes.Success, second.Output);

        second.Output.Should().Contain($"Resuming from {last}: {interrupted.Epoch} of {Epochs} epochs done");
        var finished = TrainingCheckpoint.ReadState(last);
        (finished.Epoch, finished.StepInEpoch).Should().Be((Epochs, 0));
        finished.History!.Take(interrupted.History!.Count).Should().Equal(interrupted.History, "the epochs before the interruption are kept, not trained again");
        File.Exists(Path.Combine(run.Run.EncoderModel(Models.Pipeline.EncoderKind.Pretrained), "model.json")).Should().BeTrue();
        second.Output.Should().Contain("MAE pre-training: masked-patch MSE");
    }
}
