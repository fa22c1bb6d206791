using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AffectMae.Video;

/// <summary>Shared plumbing of this package's options validators: DataAnnotations results and the constructor guard.</summary>
internal static class OptionsChecks
{
    /// <summary>The messages of every DataAnnotations attribute <paramref name="options"/> violates.</summary>
    public static List<string> AnnotationFailures(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? $"{string.Join(", ", r.MemberNames)} is invalid.").ToList();
    }

    /// <summary>Turns a list of failures into a validation result.</summary>
    public static ValidateOptionsResult ToResult(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

    /// <summary>Throws <see cref="ArgumentException"/> with every failure message when <paramref name="options"/> are invalid.</summary>
    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string paramName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var result = validator.Validate(null, options);
        if (result.Failed)
            throw new ArgumentException(string.Join(" ", result.Failures ?? [result.FailureMessage]), paramName);
    }
}
