using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Data;

/// <summary>
/// How a <see cref="DataLoader{TStaged, TBatch}"/> batches a dataset. Cross-field rules are checked by
/// <see cref="DataLoaderOptionsValidator"/>.
/// </summary>
public sealed class DataLoaderOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DataLoader";

    /// <summary>Items a batch.</summary>
    /// <value>The default value is 64.</value>
    [Range(1, int.MaxValue, ErrorMessage = "DataLoaderOptions.BatchSize must be at least 1.")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Visit the items in a seeded random order that changes every epoch; false keeps dataset order (evaluation).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Shuffle { get; set; } = true;

    /// <summary>Drop the last batch when it is smaller than <see cref="BatchSize"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DropLast { get; set; }

    /// <summary>Seed of the item order and of every batch's augmentation generator.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Worker threads that stage batches in the background; 0 stages each batch on the consumer's thread when it is asked for.</summary>
    /// <value>The default value is 2.</value>
    [Range(0, 256, ErrorMessage = "DataLoaderOptions.Workers must lie in 0 … 256; use 0 to stage batches on the calling thread.")]
    public int Workers { get; set; } = 2;

    /// <summary>Most batches staged or being staged ahead of the consumer; bounds memory. At least <see cref="Workers"/>.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 4096, ErrorMessage = "DataLoaderOptions.PrefetchBatches must lie in 1 … 4096.")]
    public int PrefetchBatches { get; set; } = 4;
}

/// <summary>Checks <see cref="DataLoaderOptions"/>; each message says what to change.</summary>
public sealed class DataLoaderOptionsValidator : IValidateOptions<DataLoaderOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DataLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var failures = results.Select(r => r.ErrorMessage ?? $"{string.Join(", ", r.MemberNames)} is invalid.").ToList();
        if (options.Workers > options.PrefetchBatches)
            failures.Add($"DataLoaderOptions.PrefetchBatches ({options.PrefetchBatches}) is below Workers ({options.Workers}), so some "
                + "workers could never run; raise PrefetchBatches to at least Workers.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
