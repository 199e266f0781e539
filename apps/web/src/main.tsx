import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { toApiError } from "./api/errors.ts";
import { App } from "./App.tsx";
import { startLanguage } from "./i18n/i18n.ts";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // Retrying a refusal (401, 402, 404…) cannot help; a dropped connection or a 5xx might.
      retry: (failures, error) => {
        const status = toApiError(error).status;
        return failures < 2 && (status === 0 || status >= 500);
      },
    },
  },
});

startLanguage();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
