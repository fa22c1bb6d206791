using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Video.Faces;

/// <summary>Checks <see cref="FaceDetectorOptions"/>: each range, a known kind, a model file of the kind's format, and YuNet's multiple-of-32 size.</summary>
public sealed class FaceDetectorOptionsValidator : IValidateOptions<FaceDetectorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FaceDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (!Enum.IsDefined(options.Kind))
        {
            failures.Add($"FaceDetectorOptions.Kind is {(int)options.Kind}, which names no detector: use Cascade or YuNet.");
            return OptionsValidation.ToResult(failures);
        }

        string expected = options.Kind == FaceDetectorKind.YuNet ? ".onnx" : ".xml";
        if (options.ModelPath is { } path)
        {
            if (string.IsNullOrWhiteSpace(path))
                failures.Add("FaceDetectorOptions.ModelPath is blank: give a model file, or leave it null for the default file of the kind.");
            else if (!string.Equals(Path.GetExtension(path), expected, StringComparison.OrdinalIgnoreCase))
                failures.Add(options.Kind == FaceDetectorKind.YuNet
                    ? $"FaceDetectorOptions.ModelPath '{path}' is not an ONNX file, but Kind is YuNet: give YuNet's .onnx file (e.g. {FaceModelFiles.YuNetFileName}), or set Kind to Cascade for an XML cascade."
                    : $"FaceDetectorOptions.ModelPath '{path}' is not an XML cascade, but Kind is Cascade: give a Haar or LBP .xml file (e.g. {FaceModelFiles.DefaultCascade}), or set Kind to YuNet for an ONNX model.");
        }

        if (options.Kind == FaceDetectorKind.YuNet && options.DetectionSize % 32 != 0)
            failures.Add($"FaceDetectorOptions.DetectionSize is {options.DetectionSize}, but YuNet's input side must be a multiple of 32: use {Math.Max(64, (options.DetectionSize + 16) / 32 * 32)}.");
        return OptionsValidation.ToResult(failures);
    }
}
