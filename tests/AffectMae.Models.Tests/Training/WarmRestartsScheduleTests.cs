using AffectMae.Core.Data;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using AffectMae.Models.Tests.Temporal;
using AffectMae.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Training;

// Reference: make_authors_fixtures.py §2 records the lr of every optimiser step while stepping a warm-up scheduler and
// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts exactly as the authors' solver.py does.
public sealed class WarmRestartsScheduleTests : IDisposable
{
    private readonly Dictionary<string, Tensor> io = Fixture.Load("authors_recipe.io");

    public void Dispose() => io.DisposeAll();

    [Theory]
    [InlineData(5, 2, 3, "lr_epochs5_warmup2_steps3")]
    [InlineData(4, 0, 4, "lr_epochs4_warmup0_steps4")]
    [InlineData(40, 2, 7, "lr_epochs40_warmup2_steps7")]
    public void Every_step_gets_the_rate_pytorch_sets(int epochs, int warmup, int steps, string key)
    {
        var options = OptimizationOptions.AuthorsTemporal(AffectTask.ValenceArousal);
        options.Epochs = epochs;
        options.WarmupEpochs = warmup;
        var schedule = new WarmRestartsSchedule(options, steps);
        double[] expected = io[key].data<double>().ToArray();

        double[] actual = Enumerable.Range(0, epochs * steps).Select(k => schedule.LearningRate(k)).ToArray();

        actual.Should().HaveCount(expected.Length);
        for (int k = 0; k < expected.Length; k++)
            actual[k].Should().BeApproximately(expected[k], 1e-12 * expected[k], $"step {k}");
    }

    [Fact]
    public void The_cosine_restarts_with_doubling_periods_as_pytorch_does()
    {
        var options = OptimizationOptions.AuthorsTemporal(AffectTask.ValenceArousal);
        var schedule = new WarmRestartsSchedule(options, stepsPerEpoch: 1, firstPeriodEpochs: 2);
        double[] epochs = io["restart_epochs"].data<double>().ToArray(), expected = io["restart_lr_t0_2"].data<double>().ToArray();

        for (int i = 0; i < epochs.Length; i++)
            schedule.CosineAt(3e-5, epochs[i]).Should().BeApproximately(expected[i], 1e-12 * expected[i], $"epoch {epochs[i]}");
    }

    [Fact]
    public void The_warm_up_starts_at_1e_8_and_the_first_cosine_step_lags_one_step_behind()
    {
        // 3 steps an epoch, 2 warm-up epochs: steps 0…6 warm up (step 6 = 1e-8 + 3e-5·6/(6 + 1e-8)); step 7 takes the cosine
        // at epoch (7 − 1 − 6)/3 = 0, the peak; step 8 the cosine at 1/3 of T₀ = 5 − 2 + 1 = 4 epochs.
        var options = OptimizationOptions.AuthorsTemporal(AffectTask.ValenceArousal);
        options.Epochs = 5;
        var schedule = new WarmRestartsSchedule(options, 3);

        schedule.LearningRate(0).Should().Be(1e-8);
        schedule.LearningRate(6).Should().BeApproximately(1e-8 + 3e-5 * 6 / (6 + 1e-8), 1e-20);
        schedule.LearningRate(7).Should().BeApproximately(3e-5, 1e-20);
        schedule.LearningRate(8).Should().BeApproximately(1e-8 + (3e-5 - 1e-8) * (1 + Math.Cos(Math.PI * (1.0 / 3) / 4)) / 2, 1e-20);
    }

    [Fact]
    public void The_trainer_follows_the_schedule_the_options_name()
    {
        using var model = nn.Linear(2, 1);
        using var optimizer = optim.AdamW(model.parameters(), 3e-5);
        var options = OptimizationOptions.AuthorsTemporal(AffectTask.Expression);
        var trainer = new Trainer(model, optimizer, options, stepsPerEpoch: 3);
        var rates = new List<double>();

        for (int step = 0; step < 9; step++)
        {
            trainer.Step(() => model.call(ones(4, 2)).square().mean());
            rates.Add(optimizer.ParamGroups.Single().LearningRate);
        }

        trainer.Schedule.Should().BeOfType<WarmRestartsSchedule>();
        var schedule = new WarmRestartsSchedule(options, 3);
        rates.Should().Equal(Enumerable.Range(0, 9).Select(k => schedule.LearningRate(k)));
    }

    [Fact]
    public void A_schedule_of_your_own_replaces_the_options_one()
    {
        using var model = nn.Linear(2, 1);
        using var optimizer = optim.AdamW(model.parameters(), 1e-3);
        var custom = new WarmRestartsSchedule(new OptimizationOptions { LearningRate = 1e-3, Epochs = 4, WarmupEpochs = 1 }, 5, firstPeriodEpochs: 1);

        var trainer = new Trainer(model, optimizer, OptimizationOptions.Temporal, 5, schedule: custom);

        trainer.Schedule.Should().BeSameAs(custom);
    }

    [Fact]
    public void A_fractional_warm_up_is_rejected_for_the_restart_schedule()
    {
        var options = OptimizationOptions.AuthorsTemporal(AffectTask.ActionUnits);
        options.WarmupEpochs = 1.5;

        var build = () => options.CreateSchedule(10);

        build.Should().Throw<ArgumentException>().WithMessage("*WarmupEpochs is 1.5 but the WarmRestarts schedule warms up over whole epochs: use 2*");
    }

    [Fact]
    public void The_authors_presets_hold_their_released_configs()
    {
        OptimizationOptions.AuthorsTemporal(AffectTask.ValenceArousal).Epochs.Should().Be(40);
        OptimizationOptions.AuthorsTemporal(AffectTask.Expression).Epochs.Should().Be(10);
        var au = OptimizationOptions.AuthorsTemporal(AffectTask.ActionUnits);
        (au.Epochs, au.LearningRate, au.WeightDecay, au.BatchSize, au.WarmupEpochs, au.WarmupStartLearningRate, au.MinLearningRate, au.Schedule, au.DecayEveryParameter)
            .Should().Be((30, 3e-5, 1e-5, 32, 2.0, 1e-8, 1e-8, LearningRateScheduleKind.WarmRestarts, true));
    }

    [Fact]
    public void Decaying_every_parameter_puts_them_all_in_the_decayed_group()
    {
        using var model = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4));

        var groups = WeightDecayGroups.ParameterGroups(model, OptimizationOptions.AuthorsTemporal(AffectTask.Expression));

        groups[0].Parameters.Should().HaveCount(4);
        groups[0].Options.weight_decay.Should().Be(1e-5);
        groups[1].Parameters.Should().BeEmpty();
    }

    [Fact]
    public void The_default_cosine_schedule_can_start_its_warm_up_above_zero()
    {
        // start 1e-4, peak 1e-3, epoch 0.5 of a 1-epoch warm-up: 1e-4 + (1e-3 − 1e-4)·0.5 = 5.5e-4.
        var options = new OptimizationOptions { LearningRate = 1e-3, WarmupStartLearningRate = 1e-4, Epochs = 4, WarmupEpochs = 1 };

        new CosineSchedule(options, 10).LearningRate(5).Should().BeApproximately(5.5e-4, 1e-18);
    }
}
