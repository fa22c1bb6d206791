using AffectMae.Models.Losses;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Losses;

public sealed class LossTests
{
    private static Tensor Frames(params float[] values) => tensor(values).reshape(1, values.Length);

    private static Tensor Valid(params bool[] values) => tensor(values).reshape(1, values.Length);

    #region Concordance

    [Fact]
    public void Ccc_loss_of_a_hand_example_is_three_fourteenths()
    {
        // Counted frames 0–2. Valence: pred 1, 2, 3 vs gold 2, 3, 4 → means 2 and 3, variances 2/3, covariance 2/3
        //   → CCC_v = 2·(2/3) / (2/3 + 2/3 + 1²) = 4/7.
        // Arousal: pred 1, 2, 3 vs gold 1, 2, 3 → CCC_a = 2·(2/3) / (2/3 + 2/3 + 0 + 1e-8) ≈ 1.
        // Frame 3 is valid but unlabelled (−5); frame 4 is padding with wild values. L = 1 − (4/7 + 1)/2 = 3/14.
        using var scope = NewDisposeScope();
        var pred = tensor(new float[] { 1, 1, 2, 2, 3, 3, 0.9f, 0.9f, 50, -50 }).reshape(1, 5, 2);
        var gold = tensor(new float[] { 2, 1, 3, 2, 4, 3, -5, -5, -7, 9 }).reshape(1, 5, 2);

        var loss = new CccLoss().call(pred, gold, Valid(true, true, true, true, false));

        loss.item<float>().Should().BeApproximately(3f / 14f, 1e-6f);
    }

    [Fact]
    public void Ccc_of_a_prediction_offset_by_one_is_four_sevenths()
    {
        // means 2 and 3; variances 2/3 each; covariance 2/3 → 2·(2/3) / (2/3 + 2/3 + 1²) = 4/7
        using var scope = NewDisposeScope();

        var ccc = CccLoss.Concordance(Frames(1, 2, 3), Frames(2, 3, 4), Valid(true, true, true));

        ccc.item<float>().Should().BeApproximately(4f / 7f, 1e-6f);
    }

    [Fact]
    public void A_dimension_without_labels_is_left_out_of_the_mean()
    {
        // Arousal is −5 everywhere, so L = 1 − CCC_v = 1 − 4/7 = 3/7.
        using var scope = NewDisposeScope();
        var pred = tensor(new float[] { 1, 0, 2, 0, 3, 0 }).reshape(1, 3, 2);
        var gold = tensor(new float[] { 2, -5, 3, -5, 4, -5 }).reshape(1, 3, 2);

        var loss = new CccLoss().call(pred, gold, null);

        loss.item<float>().Should().BeApproximately(3f / 7f, 1e-6f);
    }

    #endregion

    #region Cross-entropies

    [Fact]
    public void Cross_entropy_of_a_hand_example_is_log_four_thirds()
    {
        // Frame 0: logits (0, ln 3), gold 1 → softmax = (1/4, 3/4) → −ln(3/4) = ln(4/3).
        // Frame 1 is unlabelled (−1) and frame 2 is padding, so the mean is over frame 0 alone.
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, MathF.Log(3), 5, -5, -5, 5 }).reshape(1, 3, 2);
        var gold = tensor(new long[] { 1, -1, 0 }).reshape(1, 3);

        var loss = new MaskedCrossEntropy().call(logits, gold, Valid(true, true, false));

        loss.item<float>().Should().BeApproximately(MathF.Log(4f / 3f), 1e-6f);
    }

    [Fact]
    public void Binary_cross_entropy_of_a_hand_example_averages_the_counted_elements()
    {
        // Frame 0: logit 0 with gold 1 and gold 0 → ln 2 each. Frame 1: logit ln 3 with gold 1 → −ln σ(ln 3) = ln(4/3);
        // its second unit is unlabelled (−1). Frame 2 is padding. Mean = (2 ln 2 + ln(4/3)) / 3.
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 0, MathF.Log(3), 7, -3, 3 }).reshape(1, 3, 2);
        var gold = tensor(new float[] { 1, 0, 1, -1, 1, 0 }).reshape(1, 3, 2);

        var loss = new MaskedBceWithLogits().call(logits, gold, Valid(true, true, false));

        loss.item<float>().Should().BeApproximately((2 * MathF.Log(2) + MathF.Log(4f / 3f)) / 3, 1e-6f);
    }

    #endregion

    #region Nothing selected

    [Fact]
    public void Every_loss_is_a_zero_that_keeps_the_graph_when_only_padding_is_given()
    {
        using var scope = NewDisposeScope();
        var padding = Valid(false, false);
        var va = randn(1, 2, 2).requires_grad_();
        var expr = randn(1, 2, 8).requires_grad_();
        var au = randn(1, 2, 12).requires_grad_();

        var losses = new[]
        {
            new CccLoss().call(va, zeros(1, 2, 2), padding),
            new MaskedCrossEntropy().call(expr, zeros(1, 2, dtype: ScalarType.Int64), padding),
            new MaskedBceWithLogits().call(au, zeros(1, 2, 12), padding),
        };
        (losses[0] + losses[1] + losses[2]).backward();

        losses.Select(l => l.item<float>()).Should().Equal(0f, 0f, 0f);
        new[] { va, expr, au }.Select(t => t.grad!.abs().sum().item<float>()).Should().Equal(0f, 0f, 0f);
    }

    [Fact]
    public void Changing_padded_frames_changes_no_loss()
    {
        using var scope = NewDisposeScope();
        manual_seed(51);
        var valid = Valid(true, true, true, false);
        var logits = randn(1, 4, 8);
        var gold = tensor(new long[] { 3, 1, 7, 2 }).reshape(1, 4);
        var other = logits.clone();
        other[0, 3] = full(8, 100f);
        var otherGold = gold.clone();
        otherGold[0, 3] = tensor(5L);
        var ce = new MaskedCrossEntropy();

        ce.call(other, otherGold, valid).item<float>().Should().Be(ce.call(logits, gold, valid).item<float>());
    }

    #endregion

    #region Bad input

    [Fact]
    public void Float_expression_labels_are_rejected_with_the_conversion_to_use()
    {
        using var scope = NewDisposeScope();

        var run = () => new MaskedCrossEntropy().call(zeros(1, 3, 8), zeros(1, 3), null);

        run.Should().Throw<ArgumentException>().WithMessage("gold has dtype Float32 but must be Int64; convert it with gold.to_type(ScalarType.Int64).*");
    }

    [Fact]
    public void A_valence_arousal_prediction_without_two_outputs_is_rejected()
    {
        using var scope = NewDisposeScope();

        var run = () => new CccLoss().call(zeros(1, 3, 3), zeros(1, 3, 3), null);

        run.Should().Throw<ArgumentException>().WithMessage("pred has shape [1, 3, 3] but must be [batch, frames, 2].*");
    }

    [Fact]
    public void Action_unit_labels_of_another_shape_are_rejected()
    {
        using var scope = NewDisposeScope();

        var run = () => new MaskedBceWithLogits().call(zeros(2, 3, 12), zeros(2, 3, 8), null);

        run.Should().Throw<ArgumentException>().WithMessage("gold has shape [2, 3, 8] but must be [2, 3, 12].*");
    }

    #endregion
}
