using AffectMae.Models.Mae;
using AffectMae.Models.Training;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Training;

public sealed class ScopedAdamWTests
{
    /// <summary>
    /// The library's AdamW (one dispose scope per parameter) against TorchSharp's own on two copies of the tiny MAE,
    /// with the two weight-decay groups, bias correction over several steps and the same batches: every parameter and
    /// every moment must come out bit-identical, since only the lifetime of the temporaries differs.
    /// </summary>
    [Fact]
    public void Updates_are_bit_identical_to_TorchSharps_AdamW()
    {
        using var scope = NewDisposeScope();
        using var a = new MaeViT(MaeViTOptions.Tiny);
        using var b = new MaeViT(MaeViTOptions.Tiny);
        b.load_state_dict(a.state_dict());
        var options = new OptimizationOptions { LearningRate = 1e-2, WeightDecay = 0.05, Beta1 = 0.9, Beta2 = 0.95 };
        using var stock = optim.AdamW(WeightDecayGroups.ParameterGroups(a, options), options.LearningRate, options.Beta1, options.Beta2, weight_decay: options.WeightDecay);
        using var scoped = WeightDecayGroups.CreateAdamW(b, options);
        var generator = new Generator(5);

        for (int step = 0; step < 5; step++)
        {
            var images = randn([4, 3, 32, 32], generator: generator);
            var noise = rand([4, 16], generator: generator);
            foreach (var (model, optimizer) in new[] { (a, stock), (b, scoped) })
            {
                optimizer.zero_grad();
                model.Forward(images, 0.75, noise).Loss.backward();
                optimizer.step();
            }
        }

        scoped.GetType().Should().NotBe(stock.GetType(), "the library's optimiser is the one compared");
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            (pa - pb).abs().max().item<float>().Should().Be(0f, name);
        var stockState = stock.state_dict().State;
        var scopedState = scoped.state_dict().State;
        foreach (var (sa, sb) in stockState.Zip(scopedState))
        {
            var (ma, mb) = ((TorchSharp.Modules.AdamW.State)sa, (TorchSharp.Modules.AdamW.State)sb);
            mb.step.Should().Be(ma.step);
            (ma.exp_avg - mb.exp_avg).abs().max().item<float>().Should().Be(0f);
            (ma.exp_avg_sq - mb.exp_avg_sq).abs().max().item<float>().Should().Be(0f);
        }
    }
}
