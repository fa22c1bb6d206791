using AffectMae.Models.Losses;
using AffectMae.Models.Tests.Fixtures;
using AffectMae.Models.Tests.Temporal;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Losses;

// Reference: make_authors_fixtures.py §2, the released CCC loss written from its description and run on the
// frames that are real and labelled (2 windows, lengths 10 and 6, two frames unlabelled).
public sealed class ReleasedCccTests(ITestOutputHelper output) : IDisposable
{
    private readonly Dictionary<string, Tensor> io = Fixture.Load("authors_recipe.io");

    public void Dispose() => io.DisposeAll();

    [Fact]
    public void The_released_form_summed_over_valence_and_arousal_matches_pytorch()
    {
        using var scope = NewDisposeScope();
        using var loss = new CccLoss(CccForm.Released, CccReduction.Sum);
        var valid = Reference.Valid(io["ccc_valid"]);
        var counted = valid.logical_and(io["ccc_gold"][.., .., 0].ge(-1));

        loss.call(io["ccc_pred"], io["ccc_gold"], valid).ShouldMatchLogged(io["ccc_loss_sum"], "(1 − CCC_v) + (1 − CCC_a)", output);
        CccLoss.Concordance(io["ccc_pred"][.., .., 0], io["ccc_gold"][.., .., 0], counted, CccForm.Released)
            .ShouldMatchLogged(io["ccc_valence"], "released CCC of valence", output);
    }

    [Fact]
    public void A_series_offset_by_one_has_a_released_ccc_of_two_thirds()
    {
        // x = [1, 2, 3], y = [2, 3, 4]: Σdx·dy = 2, √Σdx²·√Σdy² = 2 → ρ = 2 / (2 + 1e-8); unbiased σ = √(2/2) = 1 for both;
        // CCC = 2·ρ·1·1 / (1 + 1 + 1²) = (2/3)·ρ. The population form gives 4/7 instead.
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 });
        var y = tensor(new float[] { 2, 3, 4 });
        var all = ones(3, dtype: ScalarType.Bool);

        CccLoss.Concordance(x, y, all, CccForm.Released).item<float>().Should().BeApproximately((float)(2.0 / 3 * 2 / (2 + 1e-8)), 1e-7f);
        CccLoss.Concordance(x, y, all).item<float>().Should().BeApproximately(4f / 7, 1e-7f);
    }

    [Fact]
    public void One_counted_frame_gives_a_released_ccc_of_zero_and_finite_gradients()
    {
        using var scope = NewDisposeScope();
        var pred = tensor(new float[] { 0.2f, -0.4f, 0.1f, 0.3f }).reshape(1, 2, 2).requires_grad_();
        var gold = tensor(new float[] { 0.5f, 0.1f, -5f, -5f }).reshape(1, 2, 2);   // frame 1 unlabelled
        using var loss = new CccLoss(CccForm.Released, CccReduction.Sum);

        var value = loss.call(pred, gold, null);
        value.backward();

        value.item<float>().Should().Be(2f, "each dimension's CCC is 0, so the sum of 1 − CCC is 2");
        pred.grad!.isfinite().all().item<bool>().Should().BeTrue();
    }
}
