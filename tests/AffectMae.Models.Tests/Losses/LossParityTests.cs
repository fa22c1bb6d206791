using AffectMae.Models.Losses;
using AffectMae.Models.Tests.Fixtures;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Losses;

/// <summary>The masked losses against Fixtures/make_fixtures.py §7, whose padded frames carry realistic labels.</summary>
public sealed class LossParityTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> io = Fixture.Load("losses.io");
    private readonly CccLoss ccc = new();
    private readonly MaskedCrossEntropy ce = new();
    private readonly MaskedBceWithLogits bce = new();

    public void Dispose()
    {
        foreach (var t in io.Values) t.Dispose();
        ccc.Dispose();
        ce.Dispose();
        bce.Dispose();
    }

    private Tensor Valid => io["valid"].gt(0.5);   // stored as F32 1/0

    private void ShouldMatch(Tensor actual, string key)
    {
        using var difference = (actual.detach().to(float64) - io[key].to(float64)).abs();
        output.WriteLine($"{key}: {actual.item<float>():F7} vs {io[key].item<float>():F7}, |Δ| = {difference.item<double>():E2}");
        actual.ShouldMatch(io[key], key);
    }

    [Fact]
    public void Ccc_loss_matches_the_reference()
    {
        using var loss = ccc.call(io["va_pred"], io["va_gold"], Valid);

        ShouldMatch(loss, "ccc_loss");
    }

    [Fact]
    public void Per_dimension_concordance_matches_the_reference_on_valid_labelled_frames()
    {
        using var scope = NewDisposeScope();
        var counted = Valid.unsqueeze(-1).logical_and(io["va_gold"].ge(-1));   // 14 valence and 14 arousal frames

        counted.sum(0, 1).data<long>().ToArray().Should().Equal(14L, 14L);
        ShouldMatch(CccLoss.Concordance(io["va_pred"][.., .., 0], io["va_gold"][.., .., 0], counted[.., .., 0]), "ccc_valence");
        ShouldMatch(CccLoss.Concordance(io["va_pred"][.., .., 1], io["va_gold"][.., .., 1], counted[.., .., 1]), "ccc_arousal");
    }

    [Fact]
    public void Masked_cross_entropy_matches_the_reference()
    {
        using var loss = ce.call(io["expr_logits"], io["expr_gold"], Valid);

        ShouldMatch(loss, "expr_ce");
    }

    [Fact]
    public void Masked_binary_cross_entropy_matches_the_reference()
    {
        using var loss = bce.call(io["au_logits"], io["au_gold"], Valid);

        ShouldMatch(loss, "au_bce");
    }

    [Fact]
    public void Ignoring_the_valid_mask_would_change_every_loss()
    {
        // The fixture's padded frames carry real labels, so a loss that counted them could not pass the tests above.
        using var scope = NewDisposeScope();

        ccc.call(io["va_pred"], io["va_gold"], null).item<float>().Should().NotBeApproximately(io["ccc_loss"].item<float>(), 1e-3f);
        ce.call(io["expr_logits"], io["expr_gold"], null).item<float>().Should().NotBeApproximately(io["expr_ce"].item<float>(), 1e-3f);
        bce.call(io["au_logits"], io["au_gold"], null).item<float>().Should().NotBeApproximately(io["au_bce"].item<float>(), 1e-3f);
    }
}
