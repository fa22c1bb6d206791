using AffectMae.Core.Options;

namespace AffectMae.Video.Faces;

/// <summary>Builds the detector a <see cref="FaceDetectorOptions"/> asks for.</summary>
public static class FaceDetectors
{
    /// <summary>A <see cref="CascadeFaceDetector"/> or a <see cref="YuNetFaceDetector"/>, by <see cref="FaceDetectorOptions.Kind"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <returns>The detector; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="FileNotFoundException">The model file is not found.</exception>
    public static IFaceDetector Create(FaceDetectorOptions options)
    {
        OptionsValidation.ThrowIfInvalid(new FaceDetectorOptionsValidator(), options, nameof(options));
        return options.Kind switch
        {
            FaceDetectorKind.YuNet => new YuNetFaceDetector(options),
            _ => new CascadeFaceDetector(options),
        };
    }
}
