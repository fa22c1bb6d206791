using AffectMae.Models.Losses;
using AffectMae.Models.Temporal;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

[Collection(GlobalRngCollection.Name)]
public sealed class AffectSequenceModelLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void Tiny_model_overfits_a_small_synthetic_set_with_all_three_losses()
    {
        // Four windows of 12 frames (lengths 12, 10, 8, 12); labels are fixed functions of each frame's features,
        // so a model that learns drives CCC towards 1 and both cross-entropies towards 0.
        using var scope = NewDisposeScope();
        manual_seed(31);
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.Tcn.Dropout = options.Transformer.Dropout = options.Heads.Dropout = 0;
        using var model = new AffectSequenceModel(options);
        var x = randn(4, 12, 16);
        var valid = arange(12).unsqueeze(0).lt(tensor(new long[] { 12, 10, 8, 12 }).unsqueeze(1));
        var vaGold = tanh(x.matmul(randn(16, 2) * 0.5));
        var exprGold = x.matmul(randn(16, 8)).argmax(-1);
        var auGold = x.matmul(randn(16, 12)).gt(0).to_type(ScalarType.Float32);
        using var ccc = new CccLoss();
        using var ce = new MaskedCrossEntropy();
        using var bce = new MaskedBceWithLogits();
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);

        double Step()
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            using var p = model.call(x, valid);
            var loss = ccc.call(p.ValenceArousal!, vaGold, valid) + ce.call(p.Expression!, exprGold, valid)
                       + bce.call(p.ActionUnits!, auGold, valid);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        model.train();
        double first = Step();
        double last = first;
        for (int step = 1; step < 300; step++)
            last = Step();

        output.WriteLine($"loss {first:F4} → {last:F4}");
        last.Should().BeLessThan(first / 20, "300 AdamW steps on 40 frames should all but memorise them");
    }
}
