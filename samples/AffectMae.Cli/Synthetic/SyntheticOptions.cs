// Size and seed of a synthetic Aff-Wild2-style data set. The defaults make the whole demo (generation, MAE
// pre-training, fine-tuning, temporal model) finish in a few minutes on 2 CPU cores.
using System.ComponentModel.DataAnnotations;

namespace AffectMae.Cli.Synthetic;

/// <summary>Options of <see cref="SyntheticDataset"/>. Single values are checked by their ranges, the rest by <see cref="Validate"/>.</summary>
internal sealed record SyntheticOptions
{
    /// <summary>Number of videos, including the two of the <c>_left</c>/<c>_right</c> pair made when there are at least 3.</summary>
    /// <value>The default value is 36.</value>
    [Range(1, 10_000)]
    public int Videos { get; init; } = 36;

    /// <summary>Fewest frames of a video.</summary>
    /// <value>The default value is 200.</value>
    [Range(10, 1_000_000)]
    public int MinFrames { get; init; } = 200;

    /// <summary>Most frames of a video; must be at least <see cref="MinFrames"/>.</summary>
    /// <value>The default value is 500.</value>
    [Range(10, 1_000_000)]
    public int MaxFrames { get; init; } = 500;

    /// <summary>Width and height of the frames in pixels.</summary>
    /// <value>The default value is 64.</value>
    [Range(16, 1024)]
    public int Size { get; init; } = 64;

    /// <summary>Seed of everything that is drawn; the same seed gives byte-identical output.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; init; }

    /// <summary>JPEG quality of the frames.</summary>
    /// <value>The default value is 90.</value>
    [Range(1, 100)]
    public int JpegQuality { get; init; } = FaceRenderer.DefaultJpegQuality;

    /// <summary>Fraction of recordings (a <c>_left</c>/<c>_right</c> pair counts once) put in <c>Validation_Set</c>.</summary>
    /// <value>The default value is 1/3.</value>
    [Range(0.0, 1.0)]
    public double ValidationFraction { get; init; } = 1.0 / 3.0;

    /// <summary>Videos rendered at the same time; the output does not depend on it.</summary>
    /// <value>The default value is 2.</value>
    [Range(1, 64)]
    public int MaxDegreeOfParallelism { get; init; } = 2;

    /// <summary>Every broken rule, as messages naming the option; empty when the options are valid.</summary>
    /// <returns>The messages.</returns>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).ToList();
        if (MaxFrames < MinFrames)
            errors.Add($"MaxFrames ({MaxFrames}) must be at least MinFrames ({MinFrames}).");
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> reports a problem.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid synthetic data options: " + string.Join(" ", errors));
    }
}
