using AffectMae.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Training;

public class CosineScheduleTests
{
    private static readonly OptimizationOptions FourEpochs = new() { LearningRate = 1e-3, Epochs = 4, WarmupEpochs = 1 };

    [Theory]
    [InlineData(0, 0.0)]          // epoch 0: warm-up starts at 0
    [InlineData(5, 0.5e-3)]       // epoch 0.5: 1e-3 · 0.5 / 1
    [InlineData(10, 1e-3)]        // epoch 1: end of warm-up, cos(0) = 1 → peak
    [InlineData(25, 0.5e-3)]      // epoch 2.5: progress (2.5 − 1)/(4 − 1) = 0.5 → 1e-3 · ½ · (1 + cos(π/2)) = 0.5e-3
    [InlineData(40, 0.0)]         // epoch 4: progress 1 → ½ · (1 + cos π) = 0
    public void The_rate_warms_up_linearly_then_follows_a_half_cosine(long step, double expected)
    {
        new CosineSchedule(FourEpochs, stepsPerEpoch: 10).LearningRate(step).Should().BeApproximately(expected, 1e-15);
    }

    [Fact]
    public void A_minimum_rate_lifts_the_end_of_the_cosine()
    {
        // epoch 2.5 with min 1e-4: 1e-4 + (1e-3 − 1e-4) · ½ · (1 + cos(π/2)) = 1e-4 + 4.5e-4 = 5.5e-4
        var options = new OptimizationOptions { LearningRate = 1e-3, MinLearningRate = 1e-4, Epochs = 4, WarmupEpochs = 1 };

        new CosineSchedule(options, 10).LearningRate(25).Should().BeApproximately(5.5e-4, 1e-15);
    }

    [Fact]
    public void Every_parameter_group_is_scaled_from_its_own_initial_rate()
    {
        // Groups starting at 1e-3 and 2.5e-4 (e.g. layer-wise decay), at epoch 0.5 of a 1-epoch warm-up: half of each.
        using var a = nn.Linear(2, 2);
        using var b = nn.Linear(2, 2);
        var optimizer = optim.AdamW([
            new TorchSharp.Modules.AdamW.ParamGroup(a.parameters(), new TorchSharp.Modules.AdamW.Options { LearningRate = 1e-3 }),
            new TorchSharp.Modules.AdamW.ParamGroup(b.parameters(), new TorchSharp.Modules.AdamW.Options { LearningRate = 2.5e-4 })]);

        new CosineSchedule(FourEpochs, 10).Apply(optimizer, 5);

        optimizer.ParamGroups.Select(g => g.LearningRate).Should().Equal(0.5e-3, 1.25e-4);
    }

    [Fact]
    public void Options_that_cannot_train_are_rejected_with_what_to_change()
    {
        var options = new OptimizationOptions { LearningRate = 0, Epochs = 2, WarmupEpochs = 3 };

        var build = () => new CosineSchedule(options, 10);

        build.Should().Throw<ArgumentException>().WithMessage("*LearningRate must be positive*WarmupEpochs (3) exceeds Epochs (2)*");
    }

    [Fact]
    public void The_paper_presets_hold_the_paper_values()
    {
        (OptimizationOptions.Pretraining.LearningRate, OptimizationOptions.Pretraining.BatchSize, OptimizationOptions.Pretraining.Epochs)
            .Should().Be((5e-4, 1024, 500));
        (OptimizationOptions.FineTuning.LearningRate, OptimizationOptions.FineTuning.BatchSize).Should().Be((1e-4, 256));
        var temporal = OptimizationOptions.Temporal;
        (temporal.LearningRate, temporal.WeightDecay, temporal.BatchSize, temporal.WarmupEpochs).Should().Be((3e-5, 1e-5, 32, 1.0));
    }
}
