import { Banner } from "@shopify/polaris";

/** The admin's answer to filters in the URL it cannot use (a 400): which field, and why. */
export function FilterProblemsBanner({ title, problems }: { title: string; problems: readonly { field: string; message: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <Banner tone="critical" title={title}>
      <ul>
        {problems.map((problem) => (
          <li key={problem.field}>
            {problem.field}: {problem.message}
          </li>
        ))}
      </ul>
    </Banner>
  );
}
