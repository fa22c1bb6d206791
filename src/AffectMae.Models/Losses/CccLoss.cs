// Paper: the valence/arousal objective, 1 − CCC (Lin 1989), the ABAW VA challenge metric. CccForm.Released follows
// the CCCLoss of the authors' released code (upczww/abaw6 VA/utils/loss.py; no licence: facts only, our own code).
using AffectMae.Metrics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Losses;

/// <summary>How <see cref="CccLoss"/> estimates the concordance correlation coefficient.</summary>
public enum CccForm
{
    /// <summary>Ours: CCC = 2·cov / (vx + vy + (mx − my)² + 1e-8), population moments (1/n).</summary>
    Population,

    /// <summary>
    /// The authors' released loss: CCC = 2·ρ·σx·σy / (σx² + σy² + (mx − my)²) with ρ = Σdx·dy / (√Σdx²·√Σdy² + 1e-8)
    /// and σ the unbiased (1/(n − 1)) standard deviation. Fewer than two counted frames give CCC = 0.
    /// </summary>
    Released,
}

/// <summary>How <see cref="CccLoss"/> combines valence and arousal.</summary>
public enum CccReduction
{
    /// <summary>L = mean over the dimensions of (1 − CCC) (ours).</summary>
    Mean,

    /// <summary>L = (1 − CCC_v) + (1 − CCC_a) (the authors' released training).</summary>
    Sum,
}

/// <summary>
/// L = 1 − mean over {valence, arousal} of CCC (or the sum of 1 − CCC, <see cref="CccReduction.Sum"/>), each CCC
/// computed over the frames that are valid and labelled (gold ≥ −1; Aff-Wild2 marks unlabelled values with −5), with
/// separate masks for valence and arousal (the authors mask both by the valence label; Aff-Wild2 leaves both or neither
/// unlabelled, so the two agree). By default CCC = 2·cov / (vx + vy + (mx − my)² + 1e-8) with population moments
/// (1/n); <see cref="CccForm.Released"/> uses the authors' form. Padded frames never count.
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
    /// <param name="form">The CCC estimate; <see cref="CccForm.Population"/> by default.</param>
    /// <param name="reduction">How valence and arousal combine; <see cref="CccReduction.Mean"/> by default.</param>
    public CccLoss(CccForm form = CccForm.Population, CccReduction reduction = CccReduction.Mean) : base(nameof(CccLoss))
    {
        if (!Enum.IsDefined(form))
            throw new ArgumentOutOfRangeException(nameof(form), form, $"Choose one of {string.Join(", ", Enum.GetNames<CccForm>())}.");
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"Choose one of {string.Join(", ", Enum.GetNames<CccReduction>())}.");
        (Form, Reduction) = (form, reduction);
        RegisterComponents();
    }

    /// <summary>The CCC estimate.</summary>
    public CccForm Form { get; }

    /// <summary>How valence and arousal combine.</summary>
    public CccReduction Reduction { get; }

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
        var ccc = stack([Concordance(pred[.., .., 0], gold[.., .., 0], counted[.., .., 0], Form),    // CCC_v  []
                         Concordance(pred[.., .., 1], gold[.., .., 1], counted[.., .., 1], Form)]);  // CCC_a  [2]
        var present = counted.flatten(0, 1).any(0).to_type(pred.dtype);                           // dims with a counted frame  [2]
        var total = (present * (1 - ccc)).sum();                                                  // Σ_d (1 − CCC_d)  []
        var loss = Reduction == CccReduction.Sum ? total : total / present.sum().clamp_min(1);    // L = Σ or mean  []
        return scope.MoveToOuter(loss);
    }

    /// <summary>
    /// The concordance correlation coefficient of the elements of <paramref name="x"/> and <paramref name="y"/> where
    /// <paramref name="counted"/> is true: 2·cov / (vx + vy + (mx − my)² + 1e-8), population moments, or the
    /// authors' form (<see cref="CccForm.Released"/>). It is 0 when nothing is counted.
    /// </summary>
    /// <param name="x">Predictions, any shape.</param>
    /// <param name="y">Labels, same shape.</param>
    /// <param name="counted">Bool, same shape; true for the elements that count.</param>
    /// <param name="form">The estimate.</param>
    /// <returns>A scalar in [−1, 1].</returns>
    public static Tensor Concordance(Tensor x, Tensor y, Tensor counted, CccForm form = CccForm.Population)
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
        if (form == CccForm.Released)
            return scope.MoveToOuter(ReleasedConcordance(dx, dy, mx - my, n));
        var vx = dx.square().sum() / n;                                       // vx = Σ(x − mx)² / n
        var vy = dy.square().sum() / n;                                       // vy = Σ(y − my)² / n
        var cov = (dx * dy).sum() / n;                                        // cov = Σ(x − mx)(y − my) / n
        var ccc = 2 * cov / (vx + vy + (mx - my).square() + 1e-8);            // CCC
        return scope.MoveToOuter(ccc);
    }

    // The authors' form from the centred values. The clamps only act where they would divide 0 by 0 or take the
    // gradient of √0 (a constant series, fewer than two counted frames): there CCC comes out 0 instead of NaN.
    private static Tensor ReleasedConcordance(Tensor dx, Tensor dy, Tensor meanGap, Tensor n)
    {
        const double Tiny = 1e-30;
        var sxx = dx.square().sum().clamp_min(Tiny);                          // Σ(x − mx)²
        var syy = dy.square().sum().clamp_min(Tiny);                          // Σ(y − my)²
        var rho = (dx * dy).sum() / (sxx.sqrt() * syy.sqrt() + 1e-8);         // ρ = Σdx·dy / (√Σdx²·√Σdy² + 1e-8)
        var unbiased = (n - 1).clamp_min(1);                                  // n − 1
        var sx = (sxx / unbiased).sqrt();                                     // σx, unbiased
        var sy = (syy / unbiased).sqrt();                                     // σy, unbiased
        var ccc = 2 * rho * sx * sy / (sx.square() + sy.square() + meanGap.square()).clamp_min(Tiny);   // CCC
        return ccc.where(n.ge(2), 0);                                         // 0 with fewer than two frames
    }
}
