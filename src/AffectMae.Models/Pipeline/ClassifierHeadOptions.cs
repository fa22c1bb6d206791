using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// The fine-tuning head of a recipe (paper §3.2): its encoder is the recipe's <see cref="AffectMaeRecipe.Mae"/>, so only
/// the head's own settings live here; <see cref="AffectMaeRecipe.ClassifierOptions"/> joins them.
/// </summary>
public sealed class ClassifierHeadOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:Classifier</c>).</summary>
    public const string SectionName = "Classifier";

    /// <summary>Dropout before the head. <value>The default value is 0.</value></summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "ClassifierHeadOptions.HeadDropout must lie in [0, 1); use 0 to switch it off.")]
    public double HeadDropout { get; set; }

    /// <summary>Layer-wise learning-rate decay of fine-tuning (1 turns it off). <value>The default value is 0.75 (MAE's ViT-B recipe).</value></summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "ClassifierHeadOptions.LayerDecay must lie in (0, 1]; use 1 to turn layer-wise decay off.")]
    public double LayerDecay { get; set; } = 0.75;
}
