namespace AffectMae.Models.Evaluation;

/// <summary>
/// How a probability p becomes a 0/1 decision against a threshold t, which matters only when p equals t exactly (an
/// action-unit logit of exactly 0 gives p = 0.5).
/// </summary>
public enum ThresholdRule
{
    /// <summary>Present when p ≥ t (ours).</summary>
    AtOrAbove,

    /// <summary>
    /// Present when p &gt; t: the authors' released test.py decides <c>torch.round(sigmoid(logit))</c>, and
    /// <c>torch.round</c> rounds half to even, so p = 0.5 gives 0.
    /// </summary>
    Above,
}
