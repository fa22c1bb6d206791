// What changes in a frame besides the face: head pose, framing, lighting, an occluding object and blinks. None of it
// affects a label; it is there so that a model has to look at the facial parts, as with real video.
namespace AffectMae.Cli.Synthetic;

/// <summary>An object in front of the face (a hand or a dark bar), in image units (the image is 100 × 100 units).</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="IsHand">Skin-coloured rounded shape when true, a dark bar otherwise.</param>
internal readonly record struct Occluder(float X, float Y, float Width, float Height, bool IsHand);

/// <summary>The nuisance state of one frame.</summary>
/// <param name="Yaw">Head turn in radians (features shift sideways, the face narrows).</param>
/// <param name="Pitch">Head nod in radians (features shift up or down).</param>
/// <param name="Roll">In-plane head tilt in degrees.</param>
/// <param name="ShiftX">Horizontal offset of the face in image units.</param>
/// <param name="ShiftY">Vertical offset of the face in image units.</param>
/// <param name="Scale">Face scale (1 = nominal).</param>
/// <param name="Brightness">Global gain applied to every pixel.</param>
/// <param name="ShadeAngle">Direction the light comes from, radians.</param>
/// <param name="ShadeStrength">Darkening of the far side in [0, 1].</param>
/// <param name="Occluder">The occluding object, if any.</param>
/// <param name="EyeClosure">How far a blink has shut the eyes, 0 (open) to 1 (shut); see <see cref="Blinks"/>.</param>
internal readonly record struct SceneState(
    float Yaw,
    float Pitch,
    float Roll,
    float ShiftX,
    float ShiftY,
    float Scale,
    float Brightness,
    float ShadeAngle,
    float ShadeStrength,
    Occluder? Occluder,
    float EyeClosure = 0);

/// <summary>The look of one subject and recording, fixed for a video.</summary>
/// <param name="Skin">Skin colour, 0xRRGGBB.</param>
/// <param name="Hair">Hair and brow colour, 0xRRGGBB.</param>
/// <param name="Lips">Lip colour, 0xRRGGBB.</param>
/// <param name="Background">Background colour, 0xRRGGBB.</param>
/// <param name="FaceWidth">Face width factor (about 0.9–1.1).</param>
/// <param name="NoiseSigma">Standard deviation of the pixel noise, in 8-bit levels.</param>
internal readonly record struct Appearance(uint Skin, uint Hair, uint Lips, uint Background, float FaceWidth, float NoiseSigma);
