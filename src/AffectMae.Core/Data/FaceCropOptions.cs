using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AffectMae.Core.Data;

/// <summary>
/// How a face is cut out of a frame for the encoder (AffectMae.Video's <c>FaceCropper</c>): a square around the face
/// box, widened by a margin, turned so the eyes are level when landmarks are known, resized. The rule lives here, in
/// Core, because it belongs to the data a model was trained on: a recipe records it
/// (<c>AffectMaeRecipe.FaceCrop</c>), an encoder bundle's manifest carries it (<c>EncoderManifest.FaceCrop</c>), and
/// prediction from video crops the way the training frames were cropped. Cross-field rules are in
/// <see cref="FaceCropOptionsValidator"/>.
/// </summary>
/// <remarks>
/// The defaults aim at Aff-Wild2's <c>cropped_aligned</c> frames, the encoder's training data: 112 × 112 faces which,
/// as the ABAW challenge papers describe them, were found by RetinaFace and aligned by a similarity transform from
/// five landmarks (not checked against a copy of the data here). The exact template is not published; a square with a
/// quarter of the face size on every side, eyes level, at 112 pixels, is our approximation. Whatever a model was
/// trained with, its bundle should carry these settings so that prediction crops the same way.
/// </remarks>
public sealed class FaceCropOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "FaceCrop";

    /// <summary>Side of the square crop in pixels.</summary>
    /// <value>The default value is 112 (Aff-Wild2's <c>cropped_aligned</c> size; the encoder's transform resizes it as in training).</value>
    [Range(16, 2048, ErrorMessage = "FaceCropOptions.OutputSize must lie in [16, 2048] pixels; use 112 (Aff-Wild2's cropped_aligned size).")]
    public int OutputSize { get; set; } = 112;

    /// <summary>
    /// Room around the face on every side, as a fraction of the face box's longer side s: the crop's side is
    /// (1 + 2 · Margin) · s.
    /// </summary>
    /// <value>The default value is 0.25 (crop side 1.5 · s).</value>
    [Range(0.0, 2.0, ErrorMessage = "FaceCropOptions.Margin must lie in [0, 2] face sides; use 0.25 (a quarter of the face on every side).")]
    public double Margin { get; set; } = 0.25;

    /// <summary>
    /// Moves the crop's centre from the box's centre towards the chin by this fraction of the box's longer side (along
    /// the face's own vertical when <see cref="AlignEyes"/> turns it); negative moves it towards the forehead. Haar
    /// cascades' boxes sit high on the face (forehead to upper lip), so 0.1 centres such crops better.
    /// </summary>
    /// <value>The default value is 0.</value>
    [Range(-1.0, 1.0, ErrorMessage = "FaceCropOptions.CenterShift must lie in [-1, 1] face sides; use 0, or about 0.1 for Haar cascade boxes.")]
    public double CenterShift { get; set; }

    /// <summary>Turn the crop so the eyes are level when the detector gives landmarks (YuNet); cascades give none and their crops stay axis-aligned.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AlignEyes { get; set; } = true;

    /// <summary>What fills the parts of the crop that fall outside the frame.</summary>
    /// <value>The default value is <see cref="CropBorder.Black"/> (as in <c>cropped_aligned</c>).</value>
    public CropBorder Border { get; set; } = CropBorder.Black;
}

/// <summary>What fills the parts of a crop that fall outside the frame.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CropBorder>))]
public enum CropBorder
{
    /// <summary>Black pixels.</summary>
    Black,

    /// <summary>The nearest edge pixel of the frame, repeated.</summary>
    Replicate,
}
