// The facial geometry of one synthetic frame. Each value is an intensity in [0, 1] that the renderer turns into a
// displacement of one facial part; most of them are also the intensity of one scored action unit, which is present
// when the intensity reaches that AU's threshold (AffectRules.ActionUnits, README.md).
namespace AffectMae.Cli.Synthetic;

/// <summary>Intensities in [0, 1] of the facial movements the renderer draws.</summary>
/// <param name="InnerBrowRaise">Inner brow ends move up (AU1).</param>
/// <param name="OuterBrowRaise">Outer brow ends move up (AU2).</param>
/// <param name="BrowLower">Brows move down and together, vertical furrows appear (AU4).</param>
/// <param name="CheekRaise">Cheeks rise and redden, eyes narrow from below (AU6).</param>
/// <param name="LidTighten">Lower lids rise, eyes narrow (AU7).</param>
/// <param name="UpperLipRaise">Upper lip and nostrils rise, the nose wrinkles (AU10).</param>
/// <param name="LipCornerPull">Lip corners move up and out: the mouth curves up (AU12).</param>
/// <param name="LipCornerDepress">Lip corners move down: the mouth curves down (AU15).</param>
/// <param name="LipTighten">Lips narrow and thin (AU23).</param>
/// <param name="LipPress">Lips press together, the mouth narrows and closes (AU24).</param>
/// <param name="MouthOpen">Lips part (AU25 from 0.25) and the jaw drops (AU26 from 0.6).</param>
/// <param name="EyeOpening">Height of the eye opening (not a scored AU).</param>
/// <param name="Smirk">One lip corner rises alone (not a scored AU; the mark of "Other").</param>
internal readonly record struct FaceParameters(
    float InnerBrowRaise,
    float OuterBrowRaise,
    float BrowLower,
    float CheekRaise,
    float LidTighten,
    float UpperLipRaise,
    float LipCornerPull,
    float LipCornerDepress,
    float LipTighten,
    float LipPress,
    float MouthOpen,
    float EyeOpening,
    float Smirk)
{
    /// <summary>A relaxed face: every movement at 0 and the eyes half open.</summary>
    public static FaceParameters Relaxed { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5f, 0);
}
