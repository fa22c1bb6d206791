using AffectMae.Models.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private const int StepsPerEpoch = 5;
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-train-").FullName;
    private static readonly OptimizationOptions Options = new() { LearningRate = 1e-2, Epochs = 3, WarmupEpochs = 1, WeightDecay = 1e-2, Seed = 11 };

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // A small regression problem whose batches come in a seeded order that depends only on the epoch.
    private sealed class Problem : IDisposable
    {
        public Problem(long initSeed)
        {
            torch.manual_seed(initSeed);
            Model = nn.Sequential(("0", nn.Linear(4, 16)), ("1", nn.ReLU()), ("2", nn.Dropout(0.3)), ("3", nn.Linear(16, 1)));
            Optimizer = Trainer.CreateAdamW(Model.parameters(), Options);
            torch.manual_seed(99);
            Inputs = randn(StepsPerEpoch * 4, 4);
            Targets = Inputs.sum(1, keepdim: true);
        }

        public Sequential Model { get; }
        public AdamW Optimizer { get; }
        public Tensor Inputs { get; }
        public Tensor Targets { get; }

        public IEnumerable<(Tensor X, Tensor Y)> Batches(int epoch)
        {
            var order = Enumerable.Range(0, StepsPerEpoch).ToArray();
            new Random(1000 * (int)Options.Seed + epoch).Shuffle(order);
            foreach (int b in order)
                yield return (Inputs[(b * 4)..(b * 4 + 4)], Targets[(b * 4)..(b * 4 + 4)]);
        }

        public Tensor Loss((Tensor X, Tensor Y) batch) => nn.functional.mse_loss(Model.call(batch.X), batch.Y);

        public void Dispose()
        {
            Model.Dispose();
            Inputs.Dispose();
            Targets.Dispose();
        }
    }

    [Fact]
    public void A_run_killed_after_seven_steps_and_resumed_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        torch.manual_seed(5);
        using var uninterrupted = new Problem(initSeed: 1);
        new Trainer(uninterrupted.Model, uninterrupted.Optimizer, Options, StepsPerEpoch).Fit(uninterrupted.Batches, uninterrupted.Loss);

        var policy = new CheckpointPolicy { Folder = folder, EverySteps = 1 };
        torch.manual_seed(5);
        using (var killed = new Problem(initSeed: 1))
        {
            using var stop = new CancellationTokenSource();
            var trainer = new Trainer(killed.Model, killed.Optimizer, Options, StepsPerEpoch);
            var report = new SynchronousProgress(p => { if (p.GlobalStep == 7) stop.Cancel(); });
            var run = () => trainer.Fit(killed.Batches, killed.Loss, checkpoints: policy, progress: report, cancellationToken: stop.Token);
            run.Should().Throw<OperationCanceledException>();
        }
        torch.manual_seed(12345);                     // the resumed process starts from other weights and another RNG state
        using var resumed = new Problem(initSeed: 2);
        var second = new Trainer(resumed.Model, resumed.Optimizer, Options, StepsPerEpoch);
        second.Resume(policy.Last);
        second.State.Should().BeEquivalentTo(new TrainingState(Epoch: 1, StepInEpoch: 2, GlobalStep: 7), o => o.Excluding(s => s.History));
        second.State.History.Should().ContainSingle().Which.Epoch.Should().Be(0, "epoch 0 finished before the kill");
        second.Fit(resumed.Batches, resumed.Loss);

        var expected = uninterrupted.Model.state_dict();
        foreach (var (key, value) in resumed.Model.state_dict())
            value.eq(expected[key]).all().item<bool>().Should().BeTrue($"{key} is bit-identical after resuming");
    }

    [Fact]
    public void Cancelled_while_waiting_for_a_batch_the_steps_taken_are_saved_before_stopping()
    {
        // As DataLoader does when cancelled while its workers stage the next batch: the enumeration itself throws.
        using var problem = new Problem(initSeed: 1);
        using var stop = new CancellationTokenSource();
        IEnumerable<(Tensor X, Tensor Y)> StoppingAfterThree(int epoch)
        {
            foreach (var (batch, k) in problem.Batches(epoch).Select((b, k) => (b, k)))
            {
                if (epoch == 1 && k == 3)
                {
                    stop.Cancel();
                    stop.Token.ThrowIfCancellationRequested();
                }
                yield return batch;
            }
        }
        var policy = new CheckpointPolicy { Folder = folder, EverySteps = 0 };   // last/ only at epoch ends, but for the cancellation

        var run = () => new Trainer(problem.Model, problem.Optimizer, Options, StepsPerEpoch).Fit(StoppingAfterThree, problem.Loss, checkpoints: policy, cancellationToken: stop.Token);

        run.Should().Throw<OperationCanceledException>();
        TrainingCheckpoint.ReadState(policy.Last).Should().BeEquivalentTo(new TrainingState(Epoch: 1, StepInEpoch: 3, GlobalStep: 8), o => o.Excluding(s => s.History));
    }

    [Fact]
    public void The_best_checkpoint_is_the_epoch_with_the_highest_validation_score()
    {
        using var problem = new Problem(initSeed: 3);
        var trainer = new Trainer(problem.Model, problem.Optimizer, Options, StepsPerEpoch);
        double[] scores = [0.2, 0.7, 0.5];   // epoch 1 (0-based) is best

        var state = trainer.Fit(problem.Batches, problem.Loss, validate: epoch => scores[epoch], checkpoints: new CheckpointPolicy { Folder = folder });

        (state.BestScore, state.BestEpoch).Should().Be((0.7, 1));
        TrainingCheckpoint.ReadState(Path.Combine(folder, "best")).Should().BeEquivalentTo(new TrainingState(2, 0, 10, 0.7, 1), o => o.Excluding(s => s.History));
        var last = TrainingCheckpoint.ReadState(Path.Combine(folder, "last"));
        last.Should().BeEquivalentTo(new TrainingState(3, 0, 15, 0.7, 1), o => o.Excluding(s => s.History));
        last.History!.Select(h => (h.Epoch, h.Score)).Should().Equal((0, 0.2), (1, 0.7), (2, 0.5));
        last.History!.Should().OnlyContain(h => double.IsFinite(h.MeanLoss), "every epoch took its 5 steps");
    }

    [Fact]
    public void A_run_restarted_from_scratch_never_replaces_a_better_best_checkpoint()
    {
        // Run 1 keeps epoch 1 (0.7) in best/. Run 2 starts over without last/ and scores 0.3, 0.6, 0.8: best/ must
        // hold 0.7 after its first two epochs and take 0.8 only after the third.
        var policy = new CheckpointPolicy { Folder = folder };
        using (var first = new Problem(initSeed: 7))
            new Trainer(first.Model, first.Optimizer, Options, StepsPerEpoch).Fit(first.Batches, first.Loss, epoch => new[] { 0.2, 0.7, 0.5 }[epoch], policy);
        Directory.Delete(policy.Last, recursive: true);
        var heldBeforeValidation = new List<double?>();
        var lastBeforeValidation = new List<TrainingState>();

        using var second = new Problem(initSeed: 8);
        var state = new Trainer(second.Model, second.Optimizer, Options, StepsPerEpoch).Fit(second.Batches, second.Loss, epoch =>
        {
            heldBeforeValidation.Add(TrainingCheckpoint.ReadState(policy.Best).BestScore);
            if (epoch > 0) lastBeforeValidation.Add(TrainingCheckpoint.ReadState(policy.Last));   // last/ stays readable for a resume
            return new[] { 0.3, 0.6, 0.8 }[epoch];
        }, policy);

        heldBeforeValidation.Should().Equal(0.7, 0.7, 0.7);
        lastBeforeValidation.Select(s => s with { History = null }).Should().Equal(new TrainingState(1, 0, 5, 0.7, 1), new TrainingState(2, 0, 10, 0.7, 1));
        (TrainingCheckpoint.ReadState(policy.Best) with { History = null }).Should().Be(new TrainingState(3, 0, 15, 0.8, 2));
        (state.BestScore, state.BestEpoch).Should().Be((0.8, 2));
    }

    [Fact]
    public void A_run_restarted_with_a_worse_score_reports_the_best_it_kept()
    {
        var policy = new CheckpointPolicy { Folder = folder };
        using (var first = new Problem(initSeed: 9))
            new Trainer(first.Model, first.Optimizer, Options, StepsPerEpoch).Fit(first.Batches, first.Loss, epoch => 0.9, policy);
        byte[] bestWeights = File.ReadAllBytes(Path.Combine(policy.Best, TrainingCheckpoint.ModelFileName));
        Directory.Delete(policy.Last, recursive: true);

        using var second = new Problem(initSeed: 10);
        var state = new Trainer(second.Model, second.Optimizer, Options, StepsPerEpoch).Fit(second.Batches, second.Loss, epoch => 0.1, policy);

        (state.BestScore, state.BestEpoch).Should().Be((0.9, 0));
        File.ReadAllBytes(Path.Combine(policy.Best, TrainingCheckpoint.ModelFileName)).Should().Equal(bestWeights);
    }

    [Fact]
    public void A_non_finite_validation_score_stops_training_before_saving_best()
    {
        using var problem = new Problem(initSeed: 11);
        var policy = new CheckpointPolicy { Folder = folder };
        var trainer = new Trainer(problem.Model, problem.Optimizer, Options, StepsPerEpoch);

        var fit = () => trainer.Fit(problem.Batches, problem.Loss, _ => double.NaN, policy);

        fit.Should().Throw<InvalidOperationException>().WithMessage("The validation score is NaN after epoch 1*");
        TrainingCheckpoint.Exists(policy.Best).Should().BeFalse();
    }

    [Fact]
    public void Clipping_bounds_the_global_gradient_norm()
    {
        using var problem = new Problem(initSeed: 4);
        var options = new OptimizationOptions { LearningRate = 1e-3, Epochs = 1, WarmupEpochs = 0, GradientClipNorm = 0.01 };
        var trainer = new Trainer(problem.Model, problem.Optimizer, options, StepsPerEpoch);

        trainer.Step(() => problem.Loss(problem.Batches(0).First()) * 1000);   // a loss scaled up to get a large gradient

        // √(Σ‖g‖²) over all parameters, after clipping, is at most the limit (clip_grad_norm_ adds 1e-6 to the divisor).
        double norm = Math.Sqrt(problem.Model.parameters().Sum(p => p.grad!.square().sum().item<float>()));
        norm.Should().BeLessThanOrEqualTo(0.01 + 1e-6);
    }

    [Fact]
    public void A_non_finite_loss_stops_training_with_advice()
    {
        using var problem = new Problem(initSeed: 5);
        var trainer = new Trainer(problem.Model, problem.Optimizer, Options, StepsPerEpoch);

        var step = () => trainer.Step(() => tensor(float.NaN, requires_grad: true));

        step.Should().Throw<InvalidOperationException>().WithMessage("The loss is NaN at epoch 0, step 0*lower the learning rate*");
    }

    [Fact]
    public void A_checkpoint_with_a_corrupt_state_file_is_rejected_naming_the_file()
    {
        using var problem = new Problem(initSeed: 6);
        string checkpoint = Path.Combine(folder, "last");
        TrainingCheckpoint.Save(checkpoint, problem.Model, problem.Optimizer, TrainingState.Start);
        File.WriteAllText(Path.Combine(checkpoint, "state.json"), "{ not json");

        var load = () => TrainingCheckpoint.Load(checkpoint, problem.Model, problem.Optimizer);

        load.Should().Throw<InvalidDataException>().WithMessage($"{Path.Combine(checkpoint, "state.json")} is corrupt*");
        var resume = () => new Trainer(problem.Model, problem.Optimizer, Options, StepsPerEpoch).Resume(checkpoint);
        resume.Should().Throw<InvalidDataException>();
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
