// The one way AffectMae checks options: DataAnnotations on single fields, an IValidateOptions<T> for the rules that
// join fields, both reported together; and the copy every module takes of the options it is built with.
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AffectMae.Core.Options;

/// <summary>
/// Plumbing shared by every options class of AffectMae: the messages of violated DataAnnotations attributes, turning
/// messages into a <see cref="ValidateOptionsResult"/>, the constructor guard, and deep copies.
/// </summary>
public static class OptionsValidation
{
    private static readonly JsonSerializerOptions CopyJson = new() { IncludeFields = false };

    /// <summary>
    /// The messages of every DataAnnotations attribute <paramref name="options"/> violates (its own properties only),
    /// each followed by the value it found.
    /// </summary>
    /// <param name="options">An options object.</param>
    /// <returns>One message a violated attribute, in property order.</returns>
    public static List<string> AnnotationFailures(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => $"{r.ErrorMessage ?? $"{string.Join(", ", r.MemberNames)} is invalid."}{Found(options, r.MemberNames)}").ToList();
    }

    private static string Found(object options, IEnumerable<string> members)
    {
        var property = members.Count() == 1 ? options.GetType().GetProperty(members.Single()) : null;
        var value = property?.GetValue(options);
        return value switch
        {
            null => "",
            IFormattable number => $" It is {number.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}.",
            string text => $" It is '{text}'.",
            System.Collections.IEnumerable items => $" It is [{string.Join(", ", items.Cast<object>())}].",
            _ => "",
        };
    }

    /// <summary>The failures of a nested options object, each prefixed with the property that holds it.</summary>
    /// <typeparam name="TOptions">The nested options type.</typeparam>
    /// <param name="validator">Its validator.</param>
    /// <param name="options">The nested object, or null (reported as missing).</param>
    /// <param name="property">Where it sits, e.g. <c>Recipe.Mae</c>.</param>
    /// <returns>The prefixed messages; empty when valid.</returns>
    public static IEnumerable<string> NestedFailures<TOptions>(IValidateOptions<TOptions> validator, TOptions? options, string property)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(validator);
        if (options is null)
            return [$"{property} must be set."];
        var result = validator.Validate(null, options);
        return result.Failed ? (result.Failures ?? [result.FailureMessage]).Select(f => $"{property}: {f}") : [];
    }

    /// <summary>Turns a list of failures into a validation result.</summary>
    /// <param name="failures">Messages that say what to change; empty when valid.</param>
    /// <returns><see cref="ValidateOptionsResult.Success"/> or a failure carrying every message.</returns>
    public static ValidateOptionsResult ToResult(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="ArgumentException"/> with every failure message when <paramref name="options"/> are invalid.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="validator">Its validator.</param>
    /// <param name="options">The options to check.</param>
    /// <param name="paramName">The argument the options came in.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists what to change.</exception>
    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string paramName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(options, paramName);
        var result = validator.Validate(null, options);
        if (result.Failed)
            throw new ArgumentException(string.Join(" ", result.Failures ?? [result.FailureMessage]), paramName);
    }

    /// <summary>
    /// Checks <paramref name="options"/> and returns a deep copy, so that a module built from them is not changed by a
    /// later change to the caller's object (lists included).
    /// </summary>
    /// <typeparam name="TOptions">A plain options class: public settable properties, a public parameterless constructor.</typeparam>
    /// <param name="validator">Its validator.</param>
    /// <param name="options">The options to check and copy.</param>
    /// <param name="paramName">The argument the options came in.</param>
    /// <returns>An equal, independent copy.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists what to change.</exception>
    public static TOptions ValidatedCopy<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string paramName)
        where TOptions : class
    {
        ThrowIfInvalid(validator, options, paramName);
        return Copy(options);
    }

    /// <summary>A deep copy of a plain options object (through its JSON form: public properties, lists and nested options).</summary>
    /// <typeparam name="TOptions">A plain options class.</typeparam>
    /// <param name="options">The object to copy.</param>
    /// <returns>An equal, independent copy.</returns>
    public static TOptions Copy<TOptions>(TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        return JsonSerializer.Deserialize<TOptions>(JsonSerializer.SerializeToUtf8Bytes(options, CopyJson), CopyJson)
            ?? throw new InvalidOperationException($"{typeof(TOptions).Name} could not be copied.");
    }
}
