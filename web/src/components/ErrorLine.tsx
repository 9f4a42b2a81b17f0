/** A request's failure, as the server worded it; announced to screen readers. Nothing when blank. */
export function ErrorLine({ message }: { message: string }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}
