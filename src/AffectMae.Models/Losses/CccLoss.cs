// Paper: the valence/arousal objective, 1 − CCC (Lin 1989), the ABAW VA challenge metric.
using AffectMae.Metrics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Losses;

/// <summary>
/// L = 1 − mean over {valence, arousal} of CCC, each CCC computed over the frames that are valid and labelled
/// (gold ≥ −1; Aff-Wild2 marks unlabelled values with −5), with separate masks for valence and arousal.
/// CCC = 2·cov / (vx + vy + (mx − my)² + 1e-8) with population moments (1/n). Padded frames never count.
/// </summary>
/// <remarks>
/// A dimension with no counted frame is left out of the mean; when neither has one the loss is a zero that stays
/// connected to <c>pred</c>'s graph (0·CCC), so <c>backward()</c> still works. No branch on data, no device sync.
/// </remarks>
public sealed class CccLoss : Module<Tensor, Tensor, Tensor?, Tensor>
{
    /// <summary>Gold values below this mark an unlabelled frame (Aff-Wild2 writes −5).</summary>
    public const double LowestLabel = -1.0;

    /// <summary>Creates the loss.</summary>
    public CccLoss() : base(nameof(CccLoss)) => RegisterComponents();

    /// <summary>Computes the loss.</summary>
    /// <param name="pred">Predicted valence (index 0) and arousal (index 1), [B, T, 2].</param>
    /// <param name="gold">Labels [B, T, 2], −5 (any value below −1) where unlabelled.</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>A scalar.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public override Tensor forward(Tensor pred, Tensor gold, Tensor? valid)
    {
        LossChecks.CheckPrediction(pred, valid, AffectLabels.ValenceArousalCount, "pred");
        LossChecks.CheckGold(gold, pred.shape, pred.dtype, "convert it with gold.to_type(pred.dtype).");
        using var scope = NewDisposeScope();
        var counted = LossChecks.ValidOrAll(pred, valid).unsqueeze(-1).logical_and(gold.ge(LowestLabel)); // [B, T, 2]
        var ccc = stack([Concordance(pred[.., .., 0], gold[.., .., 0], counted[.., .., 0]),          // CCC_v  []
                         Concordance(pred[.., .., 1], gold[.., .., 1], counted[.., .., 1])]);        // CCC_a  [2]
        var present = counted.flatten(0, 1).any(0).to_type(pred.dtype);                           // dims with a counted frame  [2]
        var loss = (present * (1 - ccc)).sum() / present.sum().clamp_min(1);                      // L = mean_d (1 − CCC_d)  []
        return scope.MoveToOuter(loss);
    }

    /// <summary>
    /// The concordance correlation coefficient of the elements of <paramref name="x"/> and <paramref name="y"/> where
    /// <paramref name="counted"/> is true: 2·cov / (vx + vy + (mx − my)² + 1e-8), population moments. It is 0 when
    /// nothing is counted.
    /// </summary>
    /// <param name="x">Predictions, any shape.</param>
    /// <param name="y">Labels, same shape.</param>
    /// <param name="counted">Bool, same shape; true for the elements that count.</param>
    /// <returns>A scalar in [−1, 1].</returns>
    public static Tensor Concordance(Tensor x, Tensor y, Tensor counted)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(counted);
        using var scope = NewDisposeScope();
        var w = counted.to_type(x.dtype);                                     // 1 for a counted element
        var n = w.sum().clamp_min(1);                                         // n (1 when empty, so 0/1 = 0)
        var xs = x.where(counted, 0);                                         // uncounted values drop out (even NaN)
        var ys = y.where(counted, 0);
        var mx = xs.sum() / n;                                                // mx = Σx / n
        var my = ys.sum() / n;                                                // my = Σy / n
        var dx = (xs - mx) * w;                                               // x − mx on counted elements
        var dy = (ys - my) * w;
        var vx = dx.square().sum() / n;                                       // vx = Σ(x − mx)² / n
        var vy = dy.square().sum() / n;                                       // vy = Σ(y − my)² / n
        var cov = (dx * dy).sum() / n;                                        // cov = Σ(x − mx)(y − my) / n
        var ccc = 2 * cov / (vx + vy + (mx - my).square() + 1e-8);            // CCC
        return scope.MoveToOuter(ccc);
    }
}
