// The ABAW VA challenge score and its components.
namespace AffectMae.Metrics;

/// <summary>CCC of valence and of arousal over the labelled frames, and their mean P_VA.</summary>
/// <param name="CccValence">CCC between predicted and gold valence.</param>
/// <param name="CccArousal">CCC between predicted and gold arousal.</param>
/// <param name="ValenceFrames">Number of frames with a labelled valence (gold ≥ −1).</param>
/// <param name="ArousalFrames">Number of frames with a labelled arousal (gold ≥ −1).</param>
public sealed record ValenceArousalScore(double CccValence, double CccArousal, long ValenceFrames, long ArousalFrames)
{
    /// <summary>P_VA = (CCC_valence + CCC_arousal) / 2.</summary>
    public double Score => (CccValence + CccArousal) / 2;
}
