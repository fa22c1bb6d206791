// A train/validation partition of videos: the official ABAW one (AbawLayout.OfficialSplit) or one fold of a k-fold
// cross-validation (VideoFolds.Split).
namespace AffectMae.Core.Data;

/// <summary>Videos to train on and videos to validate on.</summary>
/// <param name="Train">Training video names, sorted ordinally.</param>
/// <param name="Validation">Validation video names, sorted ordinally.</param>
public sealed record VideoSplit(IReadOnlyList<string> Train, IReadOnlyList<string> Validation);
